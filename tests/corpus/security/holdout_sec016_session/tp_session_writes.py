from flask import Blueprint, redirect, request, session

prefs = Blueprint("prefs", __name__)


@prefs.route("/cart/add", methods=["POST"])
def add_to_cart():
    session["discount_code"] = request.form.get("code")  # expect: SEC016
    return redirect("/cart")


@prefs.route("/impersonate")
def impersonate():
    target = request.args.get("user_id")
    session["user_id"] = target  # expect: SEC016
    return redirect("/")


def django_set_org(request):
    request.session["org"] = request.POST["org"]  # expect: SEC016
    return redirect("/dashboard")
