from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service import place

STORE = []


def save(order):
    STORE.append(order)
    return len(STORE)


def replay():
    # Imported here, when called, after both modules are loaded: no import-time cycle.
    import service

    return [service.place(order) for order in list(STORE)]


def hook() -> "place":
    return None


if __name__ == "__main__":
    import service

    service.place({"id": 1})
