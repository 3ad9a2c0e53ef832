from flask import Flask, make_response, render_template_string, request
from markupsafe import Markup

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "world")
    return "<h1>Hello " + name + "</h1>"  # expect: SEC011


@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    body = f"<p>Welcome back, {name}!</p>"
    return body  # expect: SEC011


@app.route("/profile")
def profile():
    bio = request.form.get("bio", "")
    resp = make_response("<div class='bio'>%s</div>" % bio)  # expect: SEC011
    resp.headers["X-Frame-Options"] = "DENY"
    return resp


@app.route("/preview", methods=["POST"])
def preview():
    template = request.form["template"]
    return render_template_string(template)  # expect: SEC011


@app.route("/banner")
def banner():
    text = request.args.get("text", "")
    return {"html": Markup("<b>" + text + "</b>")}  # expect: SEC011
