def with_neighbours(readings):
    out = []
    for i, r in enumerate(readings):
        window = readings[max(0, i - 2):i + 3]
        out.append((r, sum(window) / len(window)))
    return out


def group_members(groups):
    names = []
    for group in groups:
        for member in group.members:
            names.append(member.name)
    return names


def top_three_each(rows):
    leaders = rows[:3]
    return [(row, leader) for row in rows for leader in leaders]
