class CartService:
    def __init__(self, repo):
        self.repo = repo

    def add(self, cart_id, sku, qty=1):
        cart = self.repo.get(cart_id)
        cart.items[sku] = cart.items.get(sku, 0) + qty
        self.repo.save(cart)

    def remove(self, cart_id, sku):
        cart = self.repo.get(cart_id)
        cart.items.pop(sku, None)
        self.repo.save(cart)


class PricingService:
    def __init__(self, rates, tax):
        self.rates = rates
        self.tax = tax

    def total(self, cart):
        net = sum(self.rates[sku] * qty for sku, qty in cart.items.items())
        return net * (1 + self.tax)
