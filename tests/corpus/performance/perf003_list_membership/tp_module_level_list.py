RESERVED = ["admin", "root", "system", "support", "billing"]


def free_names(candidates):
    free = []
    for name in candidates:
        if name.lower() not in RESERVED:  # expect: PERF003
            free.append(name)
    return free
