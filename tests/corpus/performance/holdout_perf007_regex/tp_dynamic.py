import re


def redact(text, secrets):
    for secret in secrets:
        pattern = re.compile(re.escape(secret), re.IGNORECASE)  # expect: PERF007
        text = pattern.sub("***", text)
    return text


def match_routes(path, routes):
    for route in routes:
        regex = "^" + route.template.replace("{id}", r"(\d+)") + "$"
        m = re.match(regex, path)  # expect: PERF007
        if m:
            return route, m.groups()
    return None, ()


def count_mentions(messages, usernames):
    counts = {}
    for name in usernames:
        counts[name] = sum(len(re.findall(rf"@{re.escape(name)}\b", m)) for m in messages)  # expect: PERF007
    return counts
