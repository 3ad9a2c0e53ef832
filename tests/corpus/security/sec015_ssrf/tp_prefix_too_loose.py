import requests
from flask import Flask, abort, request

app = Flask(__name__)


@app.route("/hook")
def hook():
    url = request.args.get("url", "")
    if not url.startswith("https://hooks.example.com"):
        abort(400)
    return requests.post(url, json={"ping": 1}, timeout=5).text  # expect: SEC015
