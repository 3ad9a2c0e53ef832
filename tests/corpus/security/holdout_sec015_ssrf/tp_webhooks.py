import urllib.request

import httpx
import requests
from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter()
session = requests.Session()


class Webhook(BaseModel):
    callback_url: str
    event: str


@router.post("/webhooks/test")
def test_webhook(hook: Webhook):
    resp = session.post(hook.callback_url, json={"event": hook.event}, timeout=5)  # expect: SEC015
    return {"status": resp.status_code}


@router.get("/proxy/image")
async def proxy_image(src: str):
    async with httpx.AsyncClient() as client:
        resp = await client.get(src, timeout=10)  # expect: SEC015
    return {"bytes": len(resp.content)}


@router.get("/feeds/import")
def import_feed(feed: str):
    with urllib.request.urlopen(feed, timeout=10) as fh:  # expect: SEC015
        return {"size": len(fh.read())}
