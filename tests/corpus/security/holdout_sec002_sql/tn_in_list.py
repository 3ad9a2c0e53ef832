def orders_for(conn, ids):
    if not ids:
        return []
    placeholders = ", ".join("?" for _ in ids)
    cur = conn.cursor()
    cur.execute(f"SELECT id, total FROM orders WHERE id IN ({placeholders})", tuple(ids))
    return cur.fetchall()


def paged(conn, page, per_page=50):
    offset = int(page) * per_page
    cur = conn.cursor()
    cur.execute("SELECT id FROM orders ORDER BY id LIMIT ? OFFSET ?", (per_page, offset))
    return cur.fetchall()
