"""except* (3.11) and assignment expressions (3.8)."""
import asyncio
import re


async def fetch_all(urls: list[str]) -> None:
    try:
        async with asyncio.TaskGroup() as group:
            for url in urls:
                group.create_task(asyncio.sleep(0, url))
    except* TimeoutError as timeouts:
        print(f"{len(timeouts.exceptions)} timed out")
    except* (ConnectionError, OSError):
        print("network trouble")


def parse(lines: list[str]) -> list[int]:
    numbers = [n for line in lines if (n := len(line)) > 2]
    if (match := re.search(r"\d+", "abc 42")) is not None:
        numbers.append(int(match.group()))
    while (chunk := lines.pop() if lines else None) is not None:
        numbers.append(len(chunk))
    return numbers
