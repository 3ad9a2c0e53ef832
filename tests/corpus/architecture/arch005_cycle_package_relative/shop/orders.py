from .billing import charge


class Order:
    def __init__(self, lines):
        self.lines = lines
        self.paid = False

    def pay(self, card):
        self.paid = charge(self, card) > 0
        return self.paid
