from urllib.parse import urlparse

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from flask import Flask, redirect, request, url_for

app = Flask(__name__)
ALLOWED_HOSTS = {"example.com", "www.example.com"}


@app.route("/login", methods=["POST"])
def login():
    return redirect(url_for("dashboard", tab=request.args.get("tab")))


@app.route("/user")
def user():
    user_id = request.args.get("id", "")
    return redirect("/users/" + user_id)


@app.route("/docs")
def docs():
    page = request.args.get("page", "index")
    return redirect(f"https://docs.example.com/{page}")


@app.route("/out")
def outbound():
    target = request.args.get("to", "")
    if urlparse(target).netloc not in ALLOWED_HOSTS:
        return redirect("/")
    return redirect(target)


def logout(request):
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return HttpResponseRedirect(next_url)


@app.route("/home")
def home():
    return redirect(url_for("index"))
