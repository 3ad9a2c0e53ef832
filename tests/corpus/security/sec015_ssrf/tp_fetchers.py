import urllib.request

import httpx
import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/preview")
def preview():
    url = request.args.get("url")
    resp = requests.get(url, timeout=5)  # expect: SEC015
    return resp.text[:200]


@app.route("/webhook/test", methods=["POST"])
def webhook_test():
    hook = request.get_json()["callback"]
    httpx.post(hook, json={"ping": True})  # expect: SEC015
    return "sent"


@app.route("/avatar")
def avatar():
    host = request.args.get("host", "")
    with urllib.request.urlopen("http://" + host + "/avatar.png") as r:  # expect: SEC015
        return r.read()


def fetch(target):
    return requests.get(target, timeout=3).json()  # expect: SEC015


@app.route("/proxy")
def proxy():
    return fetch(request.args["target"])
