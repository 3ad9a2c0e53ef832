from flask import Flask, request, abort

app = Flask(__name__)

OPERATIONS = {"add": "a + b", "sub": "a - b", "mul": "a * b"}


@app.route("/op")
def op():
    name = request.args.get("op", "add")
    expr = OPERATIONS.get(name, "a + b")
    return str(eval(expr, {"a": 1, "b": 2}))


@app.route("/op2")
def op2():
    name = request.args.get("op", "add")
    if name not in OPERATIONS:
        abort(400)
    return str(eval(OPERATIONS[name], {"a": 3, "b": 4}))


@app.route("/number")
def number():
    value = int(request.args.get("n", "0"))
    return str(eval(str(value) + " * 2"))
