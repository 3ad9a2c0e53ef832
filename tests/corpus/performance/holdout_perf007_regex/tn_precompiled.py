import re

WORD = re.compile(r"\w+")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def tokenize(lines):
    return [WORD.findall(line.lower()) for line in lines]


def valid_dates(values):
    return [v for v in values if ISO_DATE.match(v)]


def redact(text, secrets):
    if not secrets:
        return text
    pattern = re.compile("|".join(map(re.escape, secrets)), re.IGNORECASE)
    return pattern.sub("***", text)


def strip_tags(docs):
    out = []
    for doc in docs:
        out.append(re.sub(r"<[^>]+>", "", doc))
    return out
