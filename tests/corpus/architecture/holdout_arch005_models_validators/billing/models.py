from dataclasses import dataclass, field
from decimal import Decimal

from billing.validators import validate_vat_id  # expect: ARCH005


@dataclass
class Customer:
    name: str
    vat_id: str
    invoices: list = field(default_factory=list)

    def __post_init__(self):
        validate_vat_id(self.vat_id)

    def balance(self) -> Decimal:
        return sum((i.open_amount for i in self.invoices), Decimal("0"))
