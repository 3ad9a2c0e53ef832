"""Price calculation for the checkout service: line totals, discounts and tax."""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class LineItem:
    sku: str
    unit_price: Decimal
    quantity: int


def line_total(item: LineItem) -> Decimal:
    """Price of one line before discounts."""
    return item.unit_price * item.quantity


def subtotal(items: list[LineItem]) -> Decimal:
    """Sum of the line totals of an order."""
    return sum((line_total(item) for item in items), Decimal(0))


def apply_discount(amount: Decimal, percent: int) -> Decimal:
    """Takes `percent` off `amount`; percentages outside 0..100 are rejected."""
    if not 0 <= percent <= 100:
        raise ValueError(f"discount must be between 0 and 100, got {percent}")
    return amount * (100 - percent) / 100


def with_tax(amount: Decimal, rate: Decimal) -> Decimal:
    """Adds tax at `rate` (0.2 for 20%) and rounds to the cent, half to even."""
    return (amount * (1 + rate)).quantize(CENT, rounding=ROUND_HALF_EVEN)
