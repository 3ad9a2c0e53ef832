import requests
from flask import Blueprint, request

status = Blueprint("status", __name__)


@status.route("/check")
def check_service():
    host = request.args.get("host", "")
    port = request.args.get("port", "80")
    r = requests.get(f"http://{host}:{port}/healthz", timeout=3)  # expect: SEC015
    return {"up": r.ok}
