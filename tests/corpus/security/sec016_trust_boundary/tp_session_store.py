from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = bytes(32)


@app.route("/prefs", methods=["POST"])
def prefs():
    session["role"] = request.form.get("role")  # expect: SEC016
    theme = request.form["theme"]
    session["theme"] = theme  # expect: SEC016
    return "saved"


def set_language(request):
    request.session["lang"] = request.GET["lang"]  # expect: SEC016
    return None
