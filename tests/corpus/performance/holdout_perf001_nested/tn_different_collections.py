import itertools


def cross_join(customers, products):
    rows = []
    for c in customers:
        for p in products:
            rows.append((c.id, p.id))
    return rows


def index_pairs(users):
    by_email = {}
    for u in users:
        by_email.setdefault(u.email.lower(), []).append(u)
    return [group for group in by_email.values() if len(group) > 1]


def all_pairs(items):
    return [(a, b) for a, b in itertools.combinations(items, 2) if a.group == b.group]


def grid_cells(grid):
    total = 0
    for row in grid:
        for cell in row:
            total += cell
    return total
