def successors(values):
    out = []
    for v in values:
        if v + 1 in values:  # expect: PERF001
            out.append(v)
    return out


def cross_product(tags):
    return [(x, y) for x in tags for y in tags]  # expect: PERF001
