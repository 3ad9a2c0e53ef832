from shop.orders import Order

RESERVED = {}


def reserve(lines):
    for line in lines:
        RESERVED[line.sku] = RESERVED.get(line.sku, 0) + line.quantity


def reopen(order: Order):
    for line in order.lines:
        RESERVED[line.sku] -= line.quantity
