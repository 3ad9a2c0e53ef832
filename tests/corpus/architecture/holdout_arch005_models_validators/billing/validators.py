import re

from billing.models import Customer

VAT_RE = re.compile(r"^[A-Z]{2}[0-9A-Z]{8,12}$")


def validate_vat_id(vat_id: str) -> None:
    if not VAT_RE.match(vat_id):
        raise ValueError(f"invalid VAT id {vat_id!r}")


def validate_customer(customer: Customer) -> None:
    if not customer.name.strip():
        raise ValueError("customer needs a name")
    validate_vat_id(customer.vat_id)
