import ast
import operator
import re

from flask import Flask, jsonify, request

app = Flask(__name__)

OPS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")


@app.route("/calc")
def calc():
    op = OPS.get(request.args.get("op", "add"), operator.add)
    a = int(request.args.get("a", "0"))
    b = int(request.args.get("b", "0"))
    return jsonify({"result": op(a, b)})


@app.route("/settings", methods=["POST"])
def settings():
    raw = request.form.get("limits", "{}")
    limits = ast.literal_eval(raw)
    pattern = re.compile(request.form.get("filter", ".*"))
    ok = bool(EMAIL_RE.match(request.form.get("email", "")))
    return jsonify({"limits": limits, "valid": ok, "groups": pattern.groups})
