from flask import Flask, abort, request, session

app = Flask(__name__)
app.secret_key = bytes(32)
THEMES = ("light", "dark")


@app.route("/prefs", methods=["POST"])
def prefs():
    theme = request.form.get("theme", "light")
    if theme not in THEMES:
        abort(400)
    session["theme"] = theme
    session["page_size"] = int(request.form.get("page_size", 20))
    session["visited"] = True
    return "saved"


@app.route("/login", methods=["POST"])
def login():
    user = authenticate(request.form["user"], request.form["password"])
    if user is None:
        abort(401)
    session["user_id"] = user.id
    return "ok"


def authenticate(name, password):
    return None if not name or not password else lookup_user(name)


def lookup_user(name):
    return None
