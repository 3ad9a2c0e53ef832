"""Domain objects; validation lives in validators (and needs the models back)."""
from dataclasses import dataclass

import validators  # expect: ARCH005


@dataclass
class Customer:
    name: str
    email: str

    def check(self):
        return validators.validate_customer(self)
