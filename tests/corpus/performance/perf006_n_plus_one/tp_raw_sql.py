import sqlite3


def load_names(db_path, user_ids):
    conn = sqlite3.connect(db_path)
    cur = conn.cursor()
    names = []
    for uid in user_ids:
        cur.execute("SELECT name FROM users WHERE id = ?", (uid,))  # expect: PERF006
        names.append(cur.fetchone()[0])
    return names


def touch_all(connection, rows):
    for row in rows:
        connection.execute("UPDATE seen SET n = n + 1")  # expect: PERF006
