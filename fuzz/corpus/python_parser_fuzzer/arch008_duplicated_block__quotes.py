from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def quote_total(quote):
    # Same arithmetic as invoices.invoice_total, copied; comments and spacing aside.
    lines = quote.lines
    subtotal = Decimal("0")  # expect: ARCH008
    for line in lines:
        amount = Decimal(line.unit_price) * line.quantity
        if line.discount_percent:
            amount -= amount * Decimal(line.discount_percent) / 100   # percent off
        subtotal += amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return subtotal


def normalize_address(raw):
    street = raw.get("street", "").strip().title()
    city = raw.get("city", "").strip().title()
    postcode = raw.get("postcode", "").replace(" ", "").upper()
    country = raw.get("country", "GB").strip().upper()
    if not street or not city:
        raise ValueError("incomplete address: %r" % (raw,))
    return {"street": street, "city": city, "postcode": postcode, "country": country}


def normalize_billing_address(raw):
    street = raw.get("street", "").strip().title()  # expect: ARCH008
    city = raw.get("city", "").strip().title()
    postcode = raw.get("postcode", "").replace(" ", "").upper()
    country = raw.get("country", "GB").strip().upper()
    if not street or not city:
        raise ValueError("incomplete address: %r" % (raw,))
    return {"street": street, "city": city, "postcode": postcode, "country": country,
            "billing": True}
