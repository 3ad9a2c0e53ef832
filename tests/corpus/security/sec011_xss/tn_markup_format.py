from flask import Flask, request
from markupsafe import Markup

app = Flask(__name__)


@app.route("/badge")
def badge():
    name = request.args.get("name", "")
    return Markup("<span class='badge'>{}</span>").format(name)
