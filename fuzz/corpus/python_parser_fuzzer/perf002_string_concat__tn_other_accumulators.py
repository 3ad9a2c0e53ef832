def total_cost(items):
    total = 0
    for item in items:
        total += item.cost
    return total


def collect(batches):
    merged = []
    for batch in batches:
        merged += batch.records
    return merged


def render_fast(rows):
    parts = []
    for row in rows:
        parts.append(f"<li>{row}</li>")
    return "".join(parts)
