import os
import shutil
from pathlib import Path

from flask import Flask, request, send_file

app = Flask(__name__)
UPLOAD_DIR = "/srv/uploads"


@app.route("/download")
def download():
    name = request.args.get("file")
    path = os.path.join(UPLOAD_DIR, name)
    return send_file(path)  # expect: SEC010


@app.route("/view")
def view():
    filename = request.args["name"]
    with open(UPLOAD_DIR + "/" + filename) as fh:  # expect: SEC010
        return fh.read()


@app.route("/delete", methods=["POST"])
def delete():
    target = request.form["path"]
    os.remove(os.path.join(UPLOAD_DIR, target))  # expect: SEC010
    return "deleted"


@app.route("/notes/<note>")
def note(note):
    return Path("/srv/notes", note).read_text()  # expect: SEC010


@app.route("/backup", methods=["POST"])
def backup():
    dest = request.json["dest"]
    shutil.copy("/srv/db.sqlite", dest)  # expect: SEC010
    return "ok"
