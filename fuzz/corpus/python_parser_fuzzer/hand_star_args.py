def f(*args, **kwargs):
    return g(*args, **kwargs)


def h(a, /, b, *, c=1, **kw):
    print(*a, sep="")
    print(*[1, 2], *(3, 4), **{"end": ""}, **kw)
    first, *rest = a
    return [*a, *b], {**kw, "c": c}


lambda *a, **k: (a, k)
