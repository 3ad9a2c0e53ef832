def join_orders(customers, orders):
    by_id = {c.id: c for c in customers}
    rows = []
    for order in orders:
        for line in order.lines:
            rows.append((by_id.get(order.customer_id), line.sku))
    return rows


def twice(items):
    total = 0
    for item in items:
        total += item.price
    for item in items:
        item.share = item.price / total
    return items


def present(index, keys):
    lookup = set(keys)
    hits = []
    for k in keys:
        if k in lookup:
            hits.append(k)
    for name, value in index.items():
        if name in index:
            hits.append(value)
    return hits
