from typing import Callable


def f(a: list[int] | None = None, *b: int, c: dict[str, tuple[int, ...]] = {}, **d: str) -> int | None:
    x: list[int] | None = a
    y: Callable[[int], str]
    z: "Forward" = None
    return None


class P:
    items: list[tuple[int, str]] = []
    maybe: int | str | None


async def g() -> None:
    async with a as b:
        async for i in b:
            await i
    return [i async for i in g() if await i]
