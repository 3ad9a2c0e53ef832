"""Structural pattern matching (3.10) with every pattern kind."""
from dataclasses import dataclass


@dataclass
class Point:
    x: int
    y: int


def describe(command: object) -> str:  # expect: PERF004
    match command:
        case []:
            return "nothing"
        case ["go", ("north" | "south") as direction]:
            return f"going {direction}"
        case ["drop", *items] if items:
            return f"dropping {len(items)}"
        case {"action": action, **rest}:
            return f"{action} with {sorted(rest)}"
        case Point(x=0, y=0):
            return "origin"
        case Point(x=x, y=y) if x == y:
            return "diagonal"
        case int() | float() as number:
            return str(number)
        case None:
            return "none"
        case _:
            return "unknown"


match = "a soft keyword is still a name"
case = len(match)
