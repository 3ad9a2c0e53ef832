import json
import pickle

from flask import Flask, request

app = Flask(__name__)


@app.route("/state", methods=["POST"])
def state():
    data = json.loads(request.data)
    return {"keys": sorted(data)}


def save(obj, path):
    with open(path, "wb") as fh:
        pickle.dump(obj, fh)
    return pickle.dumps(obj)
