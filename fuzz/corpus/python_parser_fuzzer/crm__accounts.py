from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crm.contacts import Contact


class Account:
    def __init__(self, name: str):
        self.name = name
        self.contacts: list[Contact] = []

    def primary(self) -> Contact | None:
        return self.contacts[0] if self.contacts else None
