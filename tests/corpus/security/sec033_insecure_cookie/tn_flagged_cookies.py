"""Cookies with their flags, preference cookies, and CSRF cookies JavaScript must read."""
import os

from flask import Flask, make_response, redirect, request

app = Flask(__name__)
app.config.update(
    SESSION_COOKIE_SECURE=True,
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",
)
if os.environ.get("FLASK_ENV") == "development":
    # Plain HTTP on localhost during development.
    app.config["SESSION_COOKIE_SECURE"] = False


@app.route("/login", methods=["POST"])
def login():
    resp = make_response(redirect("/"))
    resp.set_cookie("session_id", request.form["sid"], secure=True, httponly=True, samesite="Lax")
    resp.set_cookie("remember_me", "1", 2592000, None, "/", None, True, True)
    return resp


@app.route("/prefs", methods=["POST"])
def save_preferences():
    resp = make_response(redirect("/"))
    resp.set_cookie("theme", request.form.get("theme", "light"), max_age=365 * 24 * 3600)
    resp.set_cookie("lang", request.form.get("lang", "en"))
    resp.set_cookie("cookie_consent", "yes")
    resp.set_cookie("visited_tour", "1", max_age=30 * 24 * 3600)
    return resp


@app.after_request
def csrf_cookie(resp):
    # The frontend reads this token and echoes it in a header, so it cannot be HttpOnly.
    resp.set_cookie("XSRF-TOKEN", issue_csrf_token(), secure=True, samesite="Strict")
    return resp


@app.route("/logout")
def logout():
    resp = make_response(redirect("/"))
    resp.delete_cookie("session_id")
    resp.set_cookie("session_id", "", expires=0, secure=request.is_secure, httponly=True)
    return resp


def issue_csrf_token():
    raise NotImplementedError
