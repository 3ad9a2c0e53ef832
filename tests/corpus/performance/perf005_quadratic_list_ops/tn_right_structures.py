from collections import deque


def breadth_first(graph, start):
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def stack_walk(root):
    stack = [root]
    out = []
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(node.children)
    return out


def positions(line, needles):
    found = {}
    for needle in needles:
        found[needle] = line.index(needle)
    return found


def forget(cache, keys):
    active = set(cache)
    options = {}
    for key in keys:
        active.remove(key)
        options.pop(0, None)
    return active


def first_match(items, target):
    return items.index(target)
