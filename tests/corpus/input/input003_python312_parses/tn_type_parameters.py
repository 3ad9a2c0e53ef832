"""PEP 695 (3.12): type parameter lists and the type statement."""
from collections.abc import Callable, Sequence

type Vector = list[float]
type Pair[T] = tuple[T, T]
type Handler[**P, R] = Callable[P, R]


def first[T](items: Sequence[T]) -> T:
    return items[0]


def clamp[N: (int, float)](value: N, low: N, high: N) -> N:
    return max(low, min(value, high))


class Stack[T]:
    def __init__(self) -> None:
        self._items: list[T] = []

    def push(self, item: T) -> None:
        self._items.append(item)

    def pop(self) -> T:
        return self._items.pop()


def apply[*Ts](*args: *Ts) -> tuple[*Ts]:
    return args


type = "type is still a name"
