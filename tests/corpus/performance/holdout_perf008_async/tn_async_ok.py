import asyncio
import json
from pathlib import Path

import httpx
import requests


async def rates():
    async with httpx.AsyncClient(timeout=5) as client:
        resp = await client.get("https://rates.example.com/latest")
    return resp.json()


async def legacy_rates():
    resp = await asyncio.to_thread(requests.get, "https://rates.example.com/latest", timeout=5)
    return resp.json()


async def wait_ready(check):
    for _ in range(10):
        if await check():
            return True
        await asyncio.sleep(1)
    return False


async def read_settings(path: Path):
    loop = asyncio.get_running_loop()

    def _read():
        with open(path) as fh:
            return json.load(fh)

    return await loop.run_in_executor(None, _read)


def sync_rates():
    return requests.get("https://rates.example.com/latest", timeout=5).json()
