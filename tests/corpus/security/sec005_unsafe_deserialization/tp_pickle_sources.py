import base64
import pickle

from flask import Flask, request

app = Flask(__name__)


@app.route("/session", methods=["POST"])
def restore_session():
    blob = base64.b64decode(request.cookies.get("state", ""))
    state = pickle.loads(blob)  # expect: SEC005
    return {"user": state.get("user")}


@app.route("/upload", methods=["POST"])
def upload():
    model = pickle.load(request.files["model"])  # expect: SEC005
    return {"type": type(model).__name__}


def load_cache(path):
    with open(path, "rb") as fh:
        return pickle.load(fh)  # expect: SEC005
