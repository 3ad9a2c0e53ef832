def unique_ids(events):
    seen = set()
    for event in events:
        if event.id in seen:
            continue
        seen.add(event.id)
    return seen


def neighbours_ok(grid):
    for row in grid:
        window = [row[0], row[-1]]
        if 0 in window:
            return False
    return True


def is_admin(user, admins):
    return user in admins
