"""Invoice helpers, first written on a Windows machine."""

import decimal

AUTHOR = "André Dupré"  # expect: INPUT001


def total(lines):
    return sum(decimal.Decimal(l.amount) for l in lines)
