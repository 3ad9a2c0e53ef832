from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def invoice_total(invoice):
    lines = invoice.lines
    subtotal = Decimal("0")
    for line in lines:
        amount = Decimal(line.unit_price) * line.quantity
        if line.discount_percent:
            amount -= amount * Decimal(line.discount_percent) / 100
        subtotal += amount.quantize(CENT, rounding=ROUND_HALF_UP)
    tax = (subtotal * invoice.tax_rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return subtotal + tax
