from dataclasses import dataclass

from inventory.pricing import price_for  # expect: ARCH005


@dataclass
class Item:
    sku: str
    base_price: int


ITEMS = {}


def listing(sku):
    item = ITEMS[sku]
    return {"sku": sku, "price": price_for(item)}
