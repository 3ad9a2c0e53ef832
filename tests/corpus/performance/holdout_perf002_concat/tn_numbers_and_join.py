def summarize(orders):
    total = 0
    count = 0
    for order in orders:
        total += order.amount
        count += 1
    return total, count


def render_rows(rows):
    parts = []
    for row in rows:
        parts.append(f"<tr><td>{row.name}</td></tr>")
    return "".join(parts)


def collect_tags(posts):
    tags = []
    for post in posts:
        tags += post.tags
    return tags


def greeting(user):
    msg = "Hello"
    msg += ", " + user.name
    return msg
