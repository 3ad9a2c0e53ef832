import os
import shutil

from flask import Blueprint, request, send_file

files = Blueprint("files", __name__)
EXPORT_DIR = "/srv/exports"


@files.route("/exports/download")
def download_export():
    name = request.args.get("file")
    return send_file(os.path.join(EXPORT_DIR, name), as_attachment=True)  # expect: SEC010


@files.route("/exports/delete", methods=["POST"])
def delete_export():
    target = EXPORT_DIR + "/" + request.form["file"]
    os.remove(target)  # expect: SEC010
    return "", 204


@files.route("/exports/copy", methods=["POST"])
def copy_export():
    src = os.path.join(EXPORT_DIR, request.form["src"])
    shutil.copy(src, "/srv/shared/")  # expect: SEC010
    return "", 201
