from flask import Blueprint, jsonify, request

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.route("/custom-metric", methods=["POST"])
def custom_metric():
    payload = request.get_json(force=True)
    formula = payload.get("formula", "0")
    totals = {"revenue": 1200.0, "refunds": 80.0, "orders": 42}
    value = eval(formula, {"__builtins__": {}}, totals)  # expect: SEC001
    return jsonify({"value": value})
