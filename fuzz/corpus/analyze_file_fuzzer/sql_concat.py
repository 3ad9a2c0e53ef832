import sqlite3
from flask import request

def f(cur):
    q = "SELECT * FROM t WHERE id = " + request.args['id']
    cur.execute(q)
