from decimal import Decimal

from . import stock  # expect: ARCH005


def charge(order, card):
    stock.reserve(order.lines)
    return Decimal(sum(line.price for line in order.lines))
