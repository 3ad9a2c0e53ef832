import unittest

from shop import Cart, Product


class ShippingTest(unittest.TestCase):
    def setUp(self):  # expect: ARCH008
        self.cart = Cart(currency="EUR")
        self.apple = Product(sku="APL", name="Apple", price=30)
        self.pear = Product(sku="PER", name="Pear", price=45)
        self.cart.add(self.apple, quantity=3)
        self.cart.add(self.pear, quantity=2)
        self.cart.apply_coupon("WELCOME10")

    def test_free_shipping_threshold(self):
        self.assertFalse(self.cart.ships_free())

    def test_heavy_cart(self):
        self.cart.add(self.pear, quantity=40)
        self.assertTrue(self.cart.ships_free())
