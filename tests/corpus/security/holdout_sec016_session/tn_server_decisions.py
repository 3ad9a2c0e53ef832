from flask import Blueprint, abort, redirect, request, session

from .auth import check_password, find_user

bp = Blueprint("login", __name__)
LANGUAGES = {"en", "de", "fr"}


@bp.route("/login", methods=["POST"])
def do_login():
    user = find_user(request.form["email"])
    if user is None or not check_password(user, request.form["password"]):
        abort(401)
    session["user_id"] = user.id
    session["role"] = user.role
    return redirect("/")


@bp.route("/lang")
def set_lang():
    lang = request.args.get("lang", "en")
    if lang not in LANGUAGES:
        lang = "en"
    session["lang"] = lang
    return redirect("/")


@bp.route("/page")
def remember_page():
    session["page_size"] = int(request.args.get("size", "20"))
    return redirect("/")
