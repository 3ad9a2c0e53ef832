"""A calculator endpoint for the pricing dashboard."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/api/calculate")
def calculate():
    """Evaluates the arithmetic expression in ?expr= and returns the result."""
    expression = request.args.get("expr", "0")
    result = eval(expression)
    return jsonify(expression=expression, result=result)


@app.route("/healthz")
def healthz():
    return jsonify(status="ok")
