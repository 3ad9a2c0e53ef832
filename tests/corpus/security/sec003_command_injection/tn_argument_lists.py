import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/log")
def git_log():
    branch = request.args.get("branch", "main")
    out = subprocess.run(["git", "log", "--oneline", "--", branch], capture_output=True)
    return out.stdout


@app.route("/grep")
def grep():
    args = ["grep", "-r", "--", request.args.get("q", ""), "/srv/docs"]
    return subprocess.check_output(args)
