import sqlite3

from flask import Flask, request

app = Flask(__name__)
SORTABLE = {"id", "name", "created"}


@app.route("/users")
def users():
    name = request.args.get("name", "")
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute("SELECT id FROM users WHERE name = ?", (name,))
    cur.execute("SELECT id FROM users WHERE name = :n", {"n": name})
    query = "SELECT id FROM users WHERE name = %s"
    cur.execute(query, [name])
    return {"rows": cur.fetchall()}


@app.route("/sorted")
def sorted_users():
    column = request.args.get("sort", "id")
    if column not in SORTABLE:
        column = "id"
    conn = sqlite3.connect("app.db")
    return {"rows": conn.execute("SELECT * FROM users ORDER BY " + column).fetchall()}


@app.route("/page")
def page():
    limit = int(request.args.get("limit", 10))
    offset = int(request.args.get("offset", 0))
    conn = sqlite3.connect("app.db")
    sql = "SELECT * FROM users LIMIT %d OFFSET %d" % (limit, offset)
    return {"rows": conn.execute(sql).fetchall()}


def migrate(cur):
    table = "users"
    cur.execute("ALTER TABLE " + table + " ADD COLUMN note TEXT")
    cur.executescript("CREATE INDEX IF NOT EXISTS ix_name ON users(name);")


def run(cur, statement, params):
    cur.execute(statement, params)
