f = lambda *a, **k: {k: v for k, v in zip(a, a) if k}
g = (x async for x in y)
