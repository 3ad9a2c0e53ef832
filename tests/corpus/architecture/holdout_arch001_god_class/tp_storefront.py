import json


class Storefront:  # expect: ARCH001
    """Cart, pricing, payment, stock, mail, invoicing and analytics in one place."""

    def __init__(self, db, mailer, payments):
        self.db = db
        self.mailer = mailer
        self.payments = payments
        self.items = {}

    def add_item(self, *args):
        return self.db.call('add_item', self.items, args)

    def remove_item(self, *args):
        return self.db.call('remove_item', self.items, args)

    def update_quantity(self, *args):
        return self.db.call('update_quantity', self.items, args)

    def apply_coupon(self, *args):
        return self.db.call('apply_coupon', self.items, args)

    def remove_coupon(self, *args):
        return self.db.call('remove_coupon', self.items, args)

    def subtotal(self, *args):
        return self.db.call('subtotal', self.items, args)

    def tax(self, *args):
        return self.db.call('tax', self.items, args)

    def shipping_cost(self, *args):
        return self.db.call('shipping_cost', self.items, args)

    def total(self, *args):
        return self.db.call('total', self.items, args)

    def reserve_stock(self, *args):
        return self.db.call('reserve_stock', self.items, args)

    def release_stock(self, *args):
        return self.db.call('release_stock', self.items, args)

    def charge_card(self, *args):
        return self.db.call('charge_card', self.items, args)

    def refund(self, *args):
        return self.db.call('refund', self.items, args)

    def send_confirmation(self, *args):
        return self.db.call('send_confirmation', self.items, args)

    def send_shipping_notice(self, *args):
        return self.db.call('send_shipping_notice', self.items, args)

    def create_invoice(self, *args):
        return self.db.call('create_invoice', self.items, args)

    def export_invoice_pdf(self, *args):
        return self.db.call('export_invoice_pdf', self.items, args)

    def track_event(self, *args):
        return self.db.call('track_event', self.items, args)

    def log_audit(self, *args):
        return self.db.call('log_audit', self.items, args)

    def recommend_products(self, *args):
        return self.db.call('recommend_products', self.items, args)

    def merge_guest_cart(self, *args):
        return self.db.call('merge_guest_cart', self.items, args)

    def to_json(self, *args):
        return self.db.call('to_json', self.items, args)
