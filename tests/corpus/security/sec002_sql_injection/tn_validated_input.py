import re
import sqlite3

from flask import Flask, abort, request

app = Flask(__name__)
IDENT = re.compile(r"[a-z_]+")


@app.route("/users/<int:user_id>")
def user(user_id):
    conn = sqlite3.connect("app.db")
    return {"row": conn.execute("SELECT * FROM users WHERE id = " + str(user_id)).fetchone()}


@app.route("/column")
def column():
    name = request.args.get("c", "")
    if not re.fullmatch(r"[a-z_]{1,32}", name):
        abort(400)
    conn = sqlite3.connect("app.db")
    return {"rows": conn.execute(f"SELECT {name} FROM users").fetchall()}


@app.route("/year")
def year():
    value = request.args.get("y", "")
    if not value.isdigit():
        abort(400)
    conn = sqlite3.connect("app.db")
    return {"rows": conn.execute("SELECT * FROM sales WHERE year = " + value).fetchall()}


@app.route("/audit")
def audit():
    app.logger.info("search for %s", request.args.get("q"))
    method = request.method
    conn = sqlite3.connect("app.db")
    conn.execute("INSERT INTO audit(method) VALUES ('%s')" % method)
    return "ok"
