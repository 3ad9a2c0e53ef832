P

    return x +
    cur.execute('x' + y)
