from django.http import JsonResponse
from flask import Blueprint, make_response

bp = Blueprint("session", __name__)


@bp.route("/login", methods=["POST"])
def login():
    sid = create_session()
    resp = make_response({"ok": True})
    resp.set_cookie("session_id", sid)  # expect: SEC033
    resp.set_cookie("remember_token", sid, max_age=30 * 86400, secure=True)  # expect: SEC033
    return resp


def django_login(request):
    token = issue_token(request.user)
    response = JsonResponse({"ok": True})
    response.set_cookie("auth_token", token, httponly=True, samesite="Strict")  # expect: SEC033
    return response


def create_session():
    return "s"


def issue_token(user):
    return "t"
