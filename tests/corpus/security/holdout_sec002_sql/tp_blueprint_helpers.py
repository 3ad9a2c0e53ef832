from flask import Blueprint, g, jsonify, request

reports = Blueprint("reports", __name__)


class ReportQueries:
    BY_REGION = "SELECT region, sum(total) FROM sales WHERE year = {year} GROUP BY region"

    def __init__(self, conn):
        self.conn = conn

    def by_region(self, year):
        cur = self.conn.cursor()
        cur.execute(self.BY_REGION.format(year=year))  # expect: SEC002
        return cur.fetchall()


@reports.route("/sales")
def sales():
    return jsonify(ReportQueries(g.db).by_region(request.args.get("year", "2024")))


@reports.route("/sales/reset", methods=["POST"])
def reset():
    g.db.executescript(f"DELETE FROM sales WHERE region = '{request.form['region']}'; VACUUM;")  # expect: SEC002
    return "", 204
