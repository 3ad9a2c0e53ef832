def ident(x):
    return x
def const(x):
    return 'safe'
cur.execute(ident(request.form['q']))
cur.execute(const(request.form['q']))
