import re


def highlight(text, keywords):
    for word in keywords:
        text = re.sub(r"\b(%s)\b" % re.escape(word), r"<b>\1</b>", text)  # expect: PERF007
    return text


def field_values(records, fields):
    values = []
    for record in records:
        for field in fields:
            rx = re.compile(field + r"=(\S+)")  # expect: PERF007
            m = rx.search(record)
            if m:
                values.append(m.group(1))
    return values


def mentions(messages, users):
    found = []
    for msg in messages:
        for user in users:
            if re.search(f"@{user.handle}\\b", msg.text):  # expect: PERF007
                found.append((msg, user))
    return found


def tokens(lines):
    out = []
    for line in lines:
        out.extend(re.compile(r"[A-Za-z_]\w*").findall(line))  # expect: PERF007
    return out
