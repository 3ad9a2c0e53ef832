def find_conflicts(bookings):
    conflicts = []
    for i, first in enumerate(bookings):
        for second in bookings[i + 1:]:  # expect: PERF001
            if first.room == second.room and first.start < second.end and second.start < first.end:
                conflicts.append((first.id, second.id))
    return conflicts


class Roster:
    def __init__(self, members):
        self.members = members

    def shared_skills(self):
        pairs = []
        for a in self.members:
            for b in self.members:  # expect: PERF001
                if a.id < b.id and set(a.skills) & set(b.skills):
                    pairs.append((a.id, b.id))
        return pairs


def orphans(nodes):
    result = []
    for node in nodes:
        if not any(other.id == node.parent_id for other in nodes):  # expect: PERF001
            result.append(node)
    return result
