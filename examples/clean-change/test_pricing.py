from decimal import Decimal

import pytest

from pricing import LineItem, apply_discount, subtotal, with_tax


def test_subtotal_sums_lines():
    items = [LineItem("a", Decimal("2.50"), 2), LineItem("b", Decimal("1.00"), 3)]
    assert subtotal(items) == Decimal("8.00")


def test_discount_bounds():
    assert apply_discount(Decimal("10"), 25) == Decimal("7.5")
    with pytest.raises(ValueError):
        apply_discount(Decimal("10"), 120)


def test_tax_rounds_half_even():
    assert with_tax(Decimal("0.125"), Decimal("0")) == Decimal("0.12")
