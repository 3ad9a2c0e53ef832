def f(xs):
    out = ''
    for a in xs:
        for b in xs:
            if a in list(xs):
                out += str(b)
    while xs:
        xs.pop(0)
    return [y for y in xs for z in xs if y == z]
