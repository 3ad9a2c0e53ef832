import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/bulk")
def bulk():
    ids = request.args.getlist("id")
    conn = sqlite3.connect("app.db")
    sql = "SELECT * FROM items WHERE id IN (" + ", ".join(ids) + ")"
    return {"rows": conn.execute(sql).fetchall()}  # expect: SEC002
