import psycopg2
from flask import Flask, request
from psycopg2 import sql

app = Flask(__name__)


@app.route("/table")
def table_rows():
    name = request.args.get("table", "events")
    conn = psycopg2.connect("dbname=app")
    with conn.cursor() as cur:
        query = sql.SQL("SELECT * FROM {} LIMIT 10").format(sql.Identifier(name))
        cur.execute(query)
        return {"rows": cur.fetchall()}
