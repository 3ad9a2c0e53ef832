class OrderManager:  # expect: ARCH001
    """Everything about an order, from cart to archive."""

    def __init__(self, db, mailer):
        self.db = db
        self.mailer = mailer

    def load(self, order):
        return self.db.call('load', order.id)

    def save(self, order):
        return self.db.call('save', order.id)

    def validate(self, order):
        return self.db.call('validate', order.id)

    def render_html(self, order):
        return self.db.call('render_html', order.id)

    def render_pdf(self, order):
        return self.db.call('render_pdf', order.id)

    def send_email(self, order):
        return self.db.call('send_email', order.id)

    def send_sms(self, order):
        return self.db.call('send_sms', order.id)

    def charge_card(self, order):
        return self.db.call('charge_card', order.id)

    def refund(self, order):
        return self.db.call('refund', order.id)

    def apply_coupon(self, order):
        return self.db.call('apply_coupon', order.id)

    def compute_tax(self, order):
        return self.db.call('compute_tax', order.id)

    def compute_shipping(self, order):
        return self.db.call('compute_shipping', order.id)

    def reserve_stock(self, order):
        return self.db.call('reserve_stock', order.id)

    def release_stock(self, order):
        return self.db.call('release_stock', order.id)

    def log_event(self, order):
        return self.db.call('log_event', order.id)

    def audit(self, order):
        return self.db.call('audit', order.id)

    def export_csv(self, order):
        return self.db.call('export_csv', order.id)

    def import_csv(self, order):
        return self.db.call('import_csv', order.id)

    def schedule_delivery(self, order):
        return self.db.call('schedule_delivery', order.id)

    def cancel(self, order):
        return self.db.call('cancel', order.id)
