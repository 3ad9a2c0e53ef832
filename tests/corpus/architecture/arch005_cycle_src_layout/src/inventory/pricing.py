from inventory import catalog

MARKUP = 1.2


def price_for(item):
    return round(item.base_price * MARKUP)


def cheapest():
    return min(catalog.ITEMS.values(), key=price_for)
