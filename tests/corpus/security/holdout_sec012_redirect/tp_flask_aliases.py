import requests
from flask import Blueprint
from flask import redirect as flask_redirect
from flask import request as flask_request

auth = Blueprint("auth", __name__)


@auth.route("/logout")
def logout():
    requests.post("https://sso.example.com/api/logout", timeout=5)
    target = flask_request.args.get("return_to") or "/"
    return flask_redirect(target)  # expect: SEC012
