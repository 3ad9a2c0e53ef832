import re

IDENT = re.compile(r"[A-Za-z_]\w*")


def tokens(lines):
    out = []
    for line in lines:
        out.extend(IDENT.findall(line))
    return out


def numbers(lines):
    return [m.group(0) for line in lines for m in re.finditer(r"\d+", line)]


def strip_all(lines, pattern):
    cleaned = []
    for line in lines:
        cleaned.append(re.sub(pattern, "", line))
    return cleaned


def compile_rules(rules):
    combined = re.compile("|".join(re.escape(r) for r in rules))
    return combined


def match_rules(rules, lines):
    hits = []
    for rule in rules:
        pattern = re.compile(rule.expression, re.IGNORECASE)
        hits.extend(line for line in lines if pattern.search(line))
    return hits


PLATFORM_PATTERNS = [(r"linux.*", "unix"), (r"win32", "msvc"), (r"darwin", "unix")]


def default_compiler(platform):
    for pattern, compiler in PLATFORM_PATTERNS:
        if re.match(pattern, platform):
            return compiler
    return "unix"


def scan(re, items):
    out = []
    for item in items:
        out.append(re.search(item))
    return out
