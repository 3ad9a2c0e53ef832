import sqlite3

from flask import Flask, request

app = Flask(__name__)


def db():
    return sqlite3.connect("app.db")


@app.route("/users")
def users():
    name = request.args.get("name", "")
    cur = db().cursor()
    cur.execute("SELECT id, email FROM users WHERE name = '" + name + "'")  # expect: SEC002
    return {"rows": cur.fetchall()}


@app.route("/orders")
def orders():
    status = request.args["status"]
    order_by = request.args.get("sort", "id")
    query = "SELECT * FROM orders WHERE status = '%s'" % status
    query += " ORDER BY " + order_by
    cur = db().cursor()
    cur.execute(query)  # expect: SEC002
    return {"rows": cur.fetchall()}


@app.route("/search", methods=["POST"])
def search():
    data = request.get_json()
    term, limit = data["term"], data.get("limit", 10)
    sql = "SELECT * FROM items WHERE title LIKE '%{}%' LIMIT {}".format(term, limit)
    return {"rows": db().execute(sql).fetchall()}  # expect: SEC002
