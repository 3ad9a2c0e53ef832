import sqlite3

from flask import request

LEGACY_SEARCH = False


def find(conn):
    name = request.args.get("q")
    name = "anonymous"
    return conn.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()


def legacy(conn):
    term = request.args.get("q")
    if LEGACY_SEARCH:
        return conn.execute("SELECT * FROM items WHERE t = '%s'" % term).fetchall()
    return conn.execute("SELECT * FROM items WHERE t = ?", (term,)).fetchall()


def choose(conn):
    kind = request.args.get("kind")
    if kind == "recent":
        order = "created DESC"
    else:
        order = "name"
    return conn.execute("SELECT * FROM items ORDER BY " + order).fetchall()


def lookup(conn):
    columns = ["id", "name", request.args.get("extra")]
    return conn.execute("SELECT " + columns[0] + " FROM items").fetchall()


def open_db():
    return sqlite3.connect("items.db")
