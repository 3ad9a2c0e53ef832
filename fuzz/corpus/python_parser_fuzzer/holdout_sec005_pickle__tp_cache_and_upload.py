import base64
import pickle

import dill
from flask import Blueprint, request

api = Blueprint("models", __name__)


@api.route("/models/upload", methods=["POST"])
def upload_model():
    blob = request.files["model"].read()
    model = pickle.loads(blob)  # expect: SEC005
    return {"params": len(getattr(model, "coef_", []))}


@api.route("/jobs/resume", methods=["POST"])
def resume_job():
    encoded = request.get_json()["state"]
    job = dill.loads(base64.b64decode(encoded))  # expect: SEC005
    return {"job": job.name}
