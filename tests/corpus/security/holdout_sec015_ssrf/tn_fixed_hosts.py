from urllib.parse import quote, urlparse

import requests
from flask import Blueprint, abort, request

bp = Blueprint("gh", __name__)
GITHUB_API = "https://api.github.com"
ALLOWED = {"images.example.com", "cdn.example.com"}


@bp.route("/gh/user")
def gh_user():
    login = request.args.get("login", "")
    r = requests.get(f"{GITHUB_API}/users/{quote(login)}", timeout=5)
    return r.json()


@bp.route("/search")
def search():
    r = requests.get("https://search.example.com/api", params={"q": request.args.get("q", "")}, timeout=5)
    return r.json()


@bp.route("/fetch")
def fetch():
    url = request.args.get("url", "")
    if urlparse(url).hostname not in ALLOWED:
        abort(400)
    return requests.get(url, timeout=5).content


def refresh_rates():
    return requests.get("https://api.exchangerate.example.com/latest", timeout=5).json()
