import ssl
import urllib.request

import aiohttp
import httpx
import requests

PARTNER_API = "https://partner.example.net/v2"


class PartnerClient:
    def __init__(self, token):
        self.session = requests.Session()
        self.session.verify = False  # expect: SEC034
        self.session.headers["Authorization"] = f"Bearer {token}"

    def orders(self):
        return self.session.get(f"{PARTNER_API}/orders", timeout=10).json()


def metrics_client():
    return httpx.Client(base_url="https://metrics.example.net", verify=False)  # expect: SEC034


async def fetch_status(url):
    connector = aiohttp.TCPConnector(ssl=False)  # expect: SEC034
    async with aiohttp.ClientSession(connector=connector) as session:
        async with session.get(url) as resp:
            return resp.status


def legacy_fetch(url):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # expect: SEC034
    return urllib.request.urlopen(url, context=ctx, timeout=10).read()
