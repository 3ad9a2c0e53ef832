"""Módulo de saudações — 你好, привет, 👋."""

SAUDAÇÃO = "Olá"


def cumprimentar(nome: str) -> str:
    """Devolve «Olá, nome»."""
    return f"{SAUDAÇÃO}, {nome} ✓"


π = 3.14159
