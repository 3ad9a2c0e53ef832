from django.http import HttpResponseRedirect
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    next_url = request.args.get("next", "/")
    return redirect(next_url)  # expect: SEC012


@app.route("/out")
def outbound():
    target = request.args["to"]
    return redirect("https://" + target)  # expect: SEC012


def logout(request):
    return HttpResponseRedirect(request.GET.get("return_to", "/"))  # expect: SEC012
