import os
import subprocess

from flask import Blueprint, request

media = Blueprint("media", __name__)
CONVERT = "/usr/bin/convert"


@media.route("/thumbnail", methods=["POST"])
def thumbnail():
    src = request.form["path"]
    size = request.form.get("size", "128x128")
    cmd = f"{CONVERT} {src} -resize {size} /tmp/thumb.png"
    subprocess.check_call(cmd, shell=True)  # expect: SEC003
    return "ok"


def disk_usage(directory):
    return os.popen("du -sh " + directory).read()  # expect: SEC003
