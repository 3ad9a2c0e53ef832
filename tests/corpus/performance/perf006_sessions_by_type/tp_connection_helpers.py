import sqlite3

from flask import g


def get_conn():
    if "conn" not in g:
        g.conn = sqlite3.connect("app.db")
    return g.conn


def labels_for(item_ids):
    out = []
    for item_id in item_ids:
        row = get_conn().execute("SELECT label FROM items WHERE id = ?", (item_id,)).fetchone()  # expect: PERF006
        out.append(row[0])
    return out


def touch_all(conn, keys):
    for key in keys:
        conn.cursor().execute("UPDATE cache SET hits = hits + 1 WHERE key = ?", (key,))  # expect: PERF006
