from collections import deque


def bfs(graph, start):
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for nxt in graph.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def positions(tokens, vocabulary):
    index = {tok: i for i, tok in enumerate(vocabulary)}
    return [index[tok] for tok in tokens]


def last_items(stack, n):
    out = []
    for _ in range(n):
        if stack:
            out.append(stack.pop())
    return out


def header_row(columns):
    cols = list(columns)
    cols.insert(0, "id")
    return cols
