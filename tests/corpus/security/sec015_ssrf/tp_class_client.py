import requests
from flask import Flask, request

app = Flask(__name__)


class Fetcher:
    def __init__(self, base):
        self.base = base

    def get(self, path):
        return requests.get(self.base + path, timeout=5)  # expect: SEC015


@app.route("/mirror")
def mirror():
    base = request.args.get("base", "")
    return Fetcher(base).get("/index.html").text
