import sqlite3

from flask import Flask, request

app = Flask(__name__)
TABLE = "items"


@app.route("/bulk")
def bulk():
    ids = request.args.getlist("id")
    placeholders = ", ".join("?" * len(ids))
    conn = sqlite3.connect("app.db")
    sql = f"SELECT * FROM {TABLE} WHERE id IN ({placeholders})"
    return {"rows": conn.execute(sql, ids).fetchall()}


@app.route("/count")
def count():
    conn = sqlite3.connect("app.db")
    return {"n": conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]}
