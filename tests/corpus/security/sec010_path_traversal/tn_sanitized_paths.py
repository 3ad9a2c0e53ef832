import os

from flask import Flask, abort, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
BASE = "/srv/files"


@app.route("/a")
def by_basename():
    name = os.path.basename(request.args.get("f", ""))
    return send_file(os.path.join(BASE, name))


@app.route("/b")
def by_secure_filename():
    name = secure_filename(request.args["f"])
    with open(os.path.join(BASE, name)) as fh:
        return fh.read()


@app.route("/c")
def by_containment():
    requested = request.args.get("f", "")
    full = os.path.realpath(os.path.join(BASE, requested))
    if not full.startswith(BASE + os.sep):
        abort(403)
    return send_file(full)


@app.route("/d")
def by_directory():
    return send_from_directory(BASE, request.args["f"])


@app.route("/e")
def by_allow_list():
    report = request.args.get("report")
    if report not in ("daily.csv", "weekly.csv"):
        abort(404)
    return send_file(os.path.join(BASE, report))


def read_config(path):
    with open(path) as fh:
        return fh.read()


def local_files():
    with open(os.path.join(BASE, "index.txt")) as fh:
        return fh.read().splitlines()
