import os
import shlex
import subprocess
from pathlib import Path

from flask import Blueprint, request

ops = Blueprint("ops", __name__)


@ops.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    out = subprocess.run(["ping", "-c", "1", host], capture_output=True, text=True, timeout=5)
    return out.stdout


@ops.route("/archive", methods=["POST"])
def archive():
    name = request.form["name"]
    target = Path("/srv/archives") / "latest.tar.gz"
    subprocess.run("tar -czf %s %s" % (shlex.quote(str(target)), shlex.quote(name)), shell=True, check=True)
    return "archived"


def restart_nginx():
    os.system("systemctl reload nginx")
    return subprocess.check_output("uptime", shell=True)
