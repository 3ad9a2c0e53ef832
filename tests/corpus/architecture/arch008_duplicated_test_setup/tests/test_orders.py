import unittest

from shop import Cart, Product


class OrderTest(unittest.TestCase):
    def setUp(self):
        self.cart = Cart(currency="EUR")
        self.apple = Product(sku="APL", name="Apple", price=30)
        self.pear = Product(sku="PER", name="Pear", price=45)
        self.cart.add(self.apple, quantity=3)
        self.cart.add(self.pear, quantity=2)
        self.cart.apply_coupon("WELCOME10")

    def test_total(self):
        self.assertEqual(self.cart.total(), 162)
