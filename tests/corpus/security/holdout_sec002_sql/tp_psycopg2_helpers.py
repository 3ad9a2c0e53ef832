import psycopg2
from psycopg2 import sql


def connect(dsn):
    return psycopg2.connect(dsn)


def count_rows(conn, table, status):
    query = sql.SQL("SELECT count(*) FROM {} WHERE status = '%s'" % status).format(sql.Identifier(table))
    with conn.cursor() as cur:
        cur.execute(query)  # expect: SEC002
        return cur.fetchone()[0]


def archive_orders(conn, customer_id, before):
    with conn.cursor() as cur:
        cur.execute("UPDATE orders SET archived = true WHERE customer_id = {} AND created < '{}'".format(customer_id, before))  # expect: SEC002
    conn.commit()
