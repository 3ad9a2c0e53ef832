"""Internal API clients written against a self-signed staging certificate."""
import ssl
import urllib.request

import aiohttp
import httpx
import requests
import urllib3
from requests.packages.urllib3.exceptions import InsecureRequestWarning

requests.packages.urllib3.disable_warnings(InsecureRequestWarning)

BILLING_URL = "https://billing.internal.example.com/api"


def fetch_invoice(invoice_id):
    resp = requests.get(f"{BILLING_URL}/invoices/{invoice_id}", timeout=5, verify=False)  # expect: SEC034
    resp.raise_for_status()
    return resp.json()


def billing_session(token):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    session.verify = False  # expect: SEC034
    return session


def post_event(event):
    with httpx.Client(base_url=BILLING_URL, verify=False) as client:  # expect: SEC034
        return client.post("/events", json=event).status_code


async def poll_status(url):
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as session:  # expect: SEC034
        async with session.get(url) as resp:
            return await resp.json()


def legacy_download(url):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # expect: SEC034
    with urllib.request.urlopen(url, context=ctx) as resp:
        return resp.read()


def quick_download(url):
    return urllib.request.urlopen(url, context=ssl._create_unverified_context()).read()  # expect: SEC034


def pooled():
    return urllib3.PoolManager(cert_reqs="CERT_NONE")  # expect: SEC034


def pinned_but_any_host(cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.check_hostname = False  # expect: SEC034
    return ctx
