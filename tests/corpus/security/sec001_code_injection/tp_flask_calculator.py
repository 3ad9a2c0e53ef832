from flask import Flask, request, jsonify

app = Flask(__name__)


@app.route("/calc")
def calc():
    expr = request.args.get("expr", "0")
    expr = expr.strip()
    result = eval(expr)  # expect: SEC001
    return jsonify(result=result)


@app.route("/hook", methods=["POST"])
def hook():
    payload = request.get_json()
    code = payload["script"]
    exec(code, {"__builtins__": {}})  # expect: SEC001
    return "ok"
