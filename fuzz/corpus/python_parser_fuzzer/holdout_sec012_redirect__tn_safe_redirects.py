from urllib.parse import urlparse

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from flask import Blueprint, request, url_for
from flask import redirect as flask_redirect

bp = Blueprint("nav", __name__)
ALLOWED_HOSTS = {"example.com", "www.example.com"}


def after_login(request):
    nxt = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    return redirect(nxt)


@bp.route("/item")
def item():
    item_id = request.args.get("id", type=int)
    return flask_redirect(url_for("catalog.show", item_id=item_id))


@bp.route("/out")
def outbound():
    url = request.args.get("url", "")
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        return flask_redirect("/")
    return flask_redirect(url)


@bp.route("/home")
def home():
    return flask_redirect("/dashboard")
