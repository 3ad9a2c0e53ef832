import aiohttp
from aiohttp import web


async def unfurl(request: web.Request) -> web.Response:
    data = await request.json()
    async with aiohttp.ClientSession() as session:
        async with session.get(data["url"], timeout=aiohttp.ClientTimeout(total=5)) as resp:  # expect: SEC015
            body = await resp.text()
    return web.json_response({"length": len(body)})
