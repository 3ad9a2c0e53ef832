from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/hello")
async def hello(request: web.Request) -> web.Response:
    name = request.query.get("name", "stranger")
    return web.Response(text=f"<html><body><h1>Hello {name}</h1></body></html>", content_type="text/html")  # expect: SEC011
