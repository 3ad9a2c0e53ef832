from flask import Flask, Response
from markupsafe import Markup

app = Flask(__name__)
FOOTER = Markup("<footer>&copy; Example Ltd</footer>")


@app.route("/health")
def health():
    return Response("<p>ok</p>", mimetype="text/html")


@app.route("/")
def index():
    return "<h1>Example</h1>" + str(FOOTER)
