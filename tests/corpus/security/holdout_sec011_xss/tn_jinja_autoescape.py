from flask import Blueprint, request
from jinja2 import Environment, select_autoescape

bp = Blueprint("cards", __name__)
env = Environment(autoescape=select_autoescape(default_for_string=True, default=True))
CARD = env.from_string("<div class='card'><h3>{{ title }}</h3><p>{{ body }}</p></div>")


@bp.route("/card")
def card():
    return CARD.render(title=request.args.get("title", ""), body=request.args.get("body", ""))
