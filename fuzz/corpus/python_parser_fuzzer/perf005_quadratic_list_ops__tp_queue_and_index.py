def breadth_first(graph, start):
    order = []
    queue = [start]
    visited = {start}
    while queue:
        node = queue.pop(0)  # expect: PERF005
        order.append(node)
        for nxt in graph[node]:
            if nxt not in visited:
                visited.add(nxt)
                queue.append(nxt)
    return order


def rank_positions(leaderboard, players):
    names = [entry.name for entry in leaderboard]
    ranks = {}
    for player in players:
        ranks[player] = names.index(player)  # expect: PERF005
    return ranks


def drain(pending, done_ids):
    remaining = list(pending)
    for job_id in done_ids:
        remaining.remove(job_id)  # expect: PERF005
    return remaining


class History:
    def __init__(self):
        self.entries = []

    def replay(self, events):
        for event in events:
            self.entries.insert(0, event)  # expect: PERF005


def reorder(items, wanted):
    # `items` arrives as a parameter: that it is a list is not visible here.
    return [items.index(w) for w in wanted]  # expect: PERF005
