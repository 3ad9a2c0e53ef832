VOWELS = "aeiou"
RESERVED = frozenset({"admin", "root", "support"})
STATUSES = ("open", "closed")


def count_vowels(text):
    return sum(1 for ch in text.lower() if ch in VOWELS)


def free_names(candidates):
    return [n for n in candidates if n.lower() not in RESERVED]


def new_ids(incoming, existing_rows):
    known = {row.id for row in existing_rows}
    return [item for item in incoming if item.id not in known]


def valid(tickets):
    for t in tickets:
        if t.status not in STATUSES:
            raise ValueError(t.status)


def lookup(prices, skus):
    total = 0
    for sku in skus:
        if sku in prices:
            total += prices[sku]
    return total


def check_once(name, allowed):
    return name in list(allowed)
