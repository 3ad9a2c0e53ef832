from pathlib import Path

from aiohttp import web

TEMPLATES = Path("/srv/templates")


async def page(request: web.Request) -> web.Response:
    html = (TEMPLATES / "index.html").read_text()  # expect: PERF008
    return web.Response(text=html, content_type="text/html")
