import html

from django.http import HttpResponse
from flask import Flask, jsonify, render_template, request
from markupsafe import escape

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "world")
    return "<h1>Hello " + escape(name) + "</h1>"


@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    return render_template("greet.html", name=name)


@app.route("/api/user")
def api_user():
    return jsonify(name=request.args.get("name"))


@app.route("/count")
def count():
    n = int(request.args.get("n", 0))
    return f"<p>{n} items</p>"


@app.route("/static-page")
def static_page():
    return "<h1>About</h1>"


def search(request):
    q = request.GET.get("q", "")
    return HttpResponse("<h2>Results for " + html.escape(q) + "</h2>")


def plain(request):
    return HttpResponse(request.GET.get("q", ""), content_type="text/plain; charset=utf-8")
