import sqlite3

from psycopg2 import sql

ALLOWED_SORT = {"name": "name", "newest": "created_at DESC"}
TABLE = "customers"
BASE_QUERY = "SELECT id, name FROM " + TABLE


def find_customer(conn: sqlite3.Connection, email: str):
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM customers WHERE email = ?", (email,))
    return cur.fetchone()


def list_customers(conn, sort_key):
    order = ALLOWED_SORT.get(sort_key, "name")
    cur = conn.cursor()
    cur.execute(BASE_QUERY + " WHERE active = 1 ORDER BY " + order)
    return cur.fetchall()


def rename_column(pg_conn, table, old, new):
    stmt = sql.SQL("ALTER TABLE {} RENAME COLUMN {} TO {}").format(
        sql.Identifier(table), sql.Identifier(old), sql.Identifier(new))
    with pg_conn.cursor() as cur:
        cur.execute(stmt)


def bulk_insert(conn, rows):
    conn.executemany("INSERT INTO audit (actor, action) VALUES (:actor, :action)", rows)
