import pickle

import redis.asyncio as redis
from aiohttp import web


class SessionStore:
    def __init__(self, url):
        self.redis = redis.from_url(url)

    async def load(self, request: web.Request):
        sid = request.cookies.get("sid")
        raw = await self.redis.get(f"session:{sid}")
        if raw is None:
            return {}
        return pickle.loads(raw)  # expect: SEC005
