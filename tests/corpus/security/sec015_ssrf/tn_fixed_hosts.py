from urllib.parse import urlparse

import requests
from flask import Flask, abort, request

app = Flask(__name__)
API = "https://api.example.com"
ALLOWED = {"images.example.com", "cdn.example.com"}


@app.route("/user")
def user():
    user_id = request.args.get("id", "")
    return requests.get(f"https://api.example.com/users/{user_id}", timeout=5).json()


@app.route("/search")
def search():
    return requests.get(API + "/search", params={"q": request.args.get("q")}, timeout=5).json()


@app.route("/image")
def image():
    url = request.args.get("url", "")
    if urlparse(url).hostname not in ALLOWED:
        abort(400)
    return requests.get(url, timeout=5).content


def health(url):
    return requests.get(url, timeout=1).status_code
