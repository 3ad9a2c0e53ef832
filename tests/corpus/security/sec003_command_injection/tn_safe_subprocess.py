import os
import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)
ALLOWED_HOSTS = ("localhost", "db.internal")


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    out = subprocess.run(["ping", "-c", "1", host], capture_output=True, check=False)
    return out.stdout


@app.route("/lookup")
def lookup():
    domain = request.args.get("domain", "")
    out = subprocess.check_output("nslookup " + shlex.quote(domain), shell=True)
    return out


@app.route("/trace")
def trace():
    host = request.args.get("host", "")
    if host not in ALLOWED_HOSTS:
        return "bad host", 400
    os.system("traceroute " + host)
    return "ok"


@app.route("/size")
def size():
    count = int(request.args.get("count", "10"))
    return subprocess.getoutput("head -n %d /var/log/app.log" % count)


def cleanup():
    os.system("rm -rf /tmp/build-cache")
    subprocess.run("make clean", shell=True, check=True)
    for tool in ["black", "isort"]:
        subprocess.run(tool + " .", shell=True, check=False)


def run_checked(args):
    return subprocess.run(args, shell=False, check=True)
