BLOCKED_DOMAINS = ["mailinator.com", "guerrillamail.com", "10minutemail.com", "trashmail.com"]


def filter_signups(signups):
    accepted = []
    for s in signups:
        if s.email.split("@")[-1] in BLOCKED_DOMAINS:  # expect: PERF003
            continue
        accepted.append(s)
    return accepted


def new_ids(incoming, existing_rows):
    known = [row.id for row in existing_rows]
    fresh = []
    for item in incoming:
        if item.id not in known:  # expect: PERF003
            fresh.append(item)
    return fresh


def dedupe(events):
    seen = []
    out = []
    for e in events:
        if e.key in seen:  # expect: PERF003
            continue
        seen.append(e.key)
        out.append(e)
    return out


def active_members(team, users):
    member_ids = list(team.member_ids)
    return [u for u in users if u.id in member_ids]  # expect: PERF003
