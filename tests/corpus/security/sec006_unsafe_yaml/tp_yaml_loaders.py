"""Job definitions read from YAML posted by users and from disk."""
import yaml
from flask import Flask, request
from yaml import Loader

app = Flask(__name__)


@app.route("/jobs", methods=["POST"])
def create_job():
    spec = yaml.load(request.data)  # expect: SEC006
    return {"name": spec["name"]}


def load_pipeline(path):
    with open(path) as f:
        return yaml.load(f, Loader=Loader)  # expect: SEC006


def load_all_stages(stream):
    return list(yaml.load_all(stream, Loader=yaml.UnsafeLoader))  # expect: SEC006


def load_legacy_state(text):
    return yaml.unsafe_load(text)  # expect: SEC006
