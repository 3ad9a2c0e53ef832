def find_duplicates(records):
    dupes = []
    for a in records:
        for b in records:  # expect: PERF001
            if a is not b and a.email == b.email:
                dupes.append((a, b))
    return dupes


def closest_pair(points):
    best = None
    for i in range(len(points)):
        for j in range(i + 1, len(points)):  # expect: PERF001
            d = abs(points[i] - points[j])
            if best is None or d < best:
                best = d
    return best
