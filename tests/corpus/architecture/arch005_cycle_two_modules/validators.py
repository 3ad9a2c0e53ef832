import re

from models import Customer

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]+$")


def validate_customer(customer: Customer) -> bool:
    return bool(customer.name) and bool(EMAIL.match(customer.email))
