import sqlite3

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT)",
    "CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, user_id INTEGER)",
    "CREATE INDEX IF NOT EXISTS orders_user ON orders (user_id)",
)


def migrate(path):
    conn = sqlite3.connect(path)
    for statement in SCHEMA:
        conn.execute(statement)
    conn.commit()
    return conn


def import_rows(conn, rows, chunk=1000):
    cur = conn.cursor()
    for start in range(0, len(rows), chunk):
        cur.executemany("INSERT INTO users (id, name) VALUES (?, ?)", rows[start:start + chunk])
    conn.commit()


def stage(session, users):
    for user in users:
        session.add(user)
    session.commit()
