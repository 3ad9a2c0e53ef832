import html

from django.http import HttpResponse
from django.utils.html import escape, format_html
from flask import Blueprint, jsonify, render_template, request
from markupsafe import Markup

bp = Blueprint("safe", __name__)


@bp.route("/search")
def search():
    q = request.args.get("q", "")
    return render_template("search.html", query=q)


@bp.route("/api/echo")
def echo():
    return jsonify({"echo": request.args.get("msg", "")})


@bp.route("/tag")
def tag():
    label = request.args.get("label", "")
    return Markup("<span class='tag'>{}</span>").format(label)


@bp.route("/plain")
def plain():
    return "<p>" + html.escape(request.args.get("text", "")) + "</p>"


def django_greet(request):
    name = request.GET.get("name", "")
    return HttpResponse(format_html("<p>Hello {}</p>", name))


def django_note(request):
    return HttpResponse("<pre>" + escape(request.GET.get("note", "")) + "</pre>")
