import asyncio
import subprocess
import time

import aiohttp
import httpx


def load_config(path):
    with open(path) as fh:
        return fh.read()


async def refresh(url):
    await asyncio.sleep(0.5)
    async with httpx.AsyncClient() as client:
        resp = await client.get(url)
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as r:
            body = await r.text()
    return resp.status_code, body


async def offloaded(path, url):
    text = await asyncio.to_thread(load_config, path)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, time.sleep, 1)
    out = await loop.run_in_executor(None, lambda: subprocess.run(["true"], check=True))
    proc = await asyncio.create_subprocess_exec("ls")
    await proc.wait()
    return text, out


async def with_helper(paths):
    def read_all():
        return [open(p).read() for p in paths]

    return await asyncio.to_thread(read_all)
