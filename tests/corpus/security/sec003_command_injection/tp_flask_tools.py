import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    output = subprocess.check_output("ping -c 1 " + host, shell=True)  # expect: SEC003
    return output


@app.route("/archive", methods=["POST"])
def archive():
    name = request.form["name"]
    os.system(f"tar czf /tmp/{name}.tgz /srv/data")  # expect: SEC003
    return "queued"


@app.route("/convert")
def convert():
    fmt = request.args.get("format", "png")
    cmd = "convert input.svg output.%s" % fmt
    stream = os.popen(cmd)  # expect: SEC003
    return stream.read()


@app.route("/run")
def run_tool():
    tool = request.args.get("tool")
    result = subprocess.run([tool, "--version"], capture_output=True)  # expect: SEC003
    return result.stdout
