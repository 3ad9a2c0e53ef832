[x for x in a, for x in b]
