def overlapping(intervals):
    pairs = []
    for i, a in enumerate(intervals):
        for b in intervals[i + 1:]:  # expect: PERF001
            if a.start < b.end and b.start < a.end:
                pairs.append((a, b))
    return pairs
