def load(from, to):  # expect: INPUT003
    return from + to
