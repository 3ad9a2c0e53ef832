def crawl(start_urls, fetch_links, limit=1000):
    frontier = list(start_urls)
    seen = set(frontier)
    order = []
    while frontier and len(order) < limit:
        url = frontier.pop(0)  # expect: PERF005
        order.append(url)
        for link in fetch_links(url):
            if link not in seen:
                seen.add(link)
                frontier.append(link)
    return order


def reorder(items, priorities):
    ranked = []
    for item in items:
        if item.id in priorities:
            ranked.insert(0, item)  # expect: PERF005
        else:
            ranked.append(item)
    return ranked


def positions(tokens, vocabulary):
    vocab = list(vocabulary)
    return [vocab.index(tok) for tok in tokens]  # expect: PERF005


def drop_cancelled(orders, cancelled_ids):
    remaining = list(orders)
    for oid in cancelled_ids:
        for o in remaining:
            if o.id == oid:
                remaining.remove(o)  # expect: PERF005
                break
    return remaining
