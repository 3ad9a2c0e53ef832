RESERVED = {"admin", "root", "system", "support", "billing"}
ORDER = ["low", "medium", "high"]


def free_names(candidates):
    return [c for c in candidates if c.lower() not in RESERVED]


def rank(levels, ORDER=("low", "high")):
    return [lvl for lvl in levels if lvl in ORDER]
