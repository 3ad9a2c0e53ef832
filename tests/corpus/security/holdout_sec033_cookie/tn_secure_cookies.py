import os

from flask import Blueprint, make_response, request

bp = Blueprint("prefs", __name__)


@bp.route("/login", methods=["POST"])
def login():
    resp = make_response({"ok": True})
    resp.set_cookie("session_id", "abc", secure=True, httponly=True, samesite="Lax")
    return resp


@bp.route("/theme")
def theme():
    resp = make_response("", 204)
    resp.set_cookie("theme", request.args.get("t", "light"), max_age=31536000)
    resp.set_cookie("lang", "de")
    return resp


SESSION_COOKIE_SECURE = os.environ.get("ENV") == "production"
