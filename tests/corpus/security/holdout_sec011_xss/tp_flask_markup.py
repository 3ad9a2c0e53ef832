from flask import Blueprint, make_response, render_template, render_template_string, request
from markupsafe import Markup

shop = Blueprint("shop", __name__)


@shop.route("/greet")
def greet():
    name = request.args.get("name", "guest")
    return f"<h1>Welcome back, {name}!</h1>"  # expect: SEC011


@shop.route("/review/preview", methods=["POST"])
def preview_review():
    body = request.form.get("body", "")
    return render_template("preview.html", body=Markup(body))  # expect: SEC011


@shop.route("/error")
def error_page():
    msg = request.args.get("msg", "Unknown error")
    template = "<div class='alert'>" + msg + "</div>"
    return render_template_string(template)  # expect: SEC011


@shop.route("/banner")
def banner():
    text = request.cookies.get("banner", "")
    resp = make_response("<p class='banner'>%s</p>" % text)  # expect: SEC011
    resp.headers["Content-Type"] = "text/html"
    return resp
