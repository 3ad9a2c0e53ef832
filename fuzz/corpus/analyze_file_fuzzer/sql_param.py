def f(cur, uid):
    cur.execute('SELECT * FROM t WHERE id = ?', (uid,))
