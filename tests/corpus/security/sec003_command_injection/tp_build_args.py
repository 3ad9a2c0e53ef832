import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/log")
def git_log():
    args = ["git", "log", "--oneline"]
    branch = request.args.get("branch")
    if branch:
        args.append(branch)
    out = subprocess.run(" ".join(args), shell=True, capture_output=True)  # expect: SEC003
    return out.stdout


@app.route("/dig")
def dig():
    name = request.args["name"]

    def resolve():
        return subprocess.getoutput("dig +short " + name)  # expect: SEC003

    return resolve()
