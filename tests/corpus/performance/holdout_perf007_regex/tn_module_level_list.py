import re

RAW_RULES = [r"\bpassword=\S+", r"\btoken=\S+", r"\b\d{16}\b"]
RULES = [re.compile(p) for p in RAW_RULES]


def scrub(line):
    for rule in RULES:
        line = rule.sub("[redacted]", line)
    return line
