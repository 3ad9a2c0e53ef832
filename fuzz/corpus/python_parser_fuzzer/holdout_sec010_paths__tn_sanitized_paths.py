import os

from flask import Blueprint, abort, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

docs = Blueprint("docs", __name__)
DOC_ROOT = os.path.realpath("/srv/docs")
UPLOADS = "/srv/uploads"


@docs.route("/docs/<path:name>")
def serve_doc(name):
    return send_from_directory(DOC_ROOT, name)


@docs.route("/docs/raw")
def raw_doc():
    full = os.path.realpath(os.path.join(DOC_ROOT, request.args.get("name", "")))
    if not full.startswith(DOC_ROOT + os.sep):
        abort(404)
    return send_file(full)


@docs.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    filename = secure_filename(f.filename)
    with open(os.path.join(UPLOADS, filename), "wb") as out:
        out.write(f.read())
    return {"name": filename}


@docs.route("/avatar")
def avatar():
    name = os.path.basename(request.args.get("user", "default"))
    return send_file(os.path.join(UPLOADS, "avatars", name + ".png"))
