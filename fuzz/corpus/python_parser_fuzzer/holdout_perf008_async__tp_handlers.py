import json
import subprocess
import time
import urllib.request

import requests
from fastapi import APIRouter

router = APIRouter()


@router.get("/rates")
async def rates():
    resp = requests.get("https://rates.example.com/latest", timeout=5)  # expect: PERF008
    return resp.json()


@router.post("/render")
async def render(doc_id: int):
    subprocess.run(["wkhtmltopdf", f"/tmp/{doc_id}.html", f"/tmp/{doc_id}.pdf"], check=True)  # expect: PERF008
    return {"pdf": f"/tmp/{doc_id}.pdf"}


class Poller:
    async def check(self, url):
        with urllib.request.urlopen(url, timeout=2) as fh:  # expect: PERF008
            return json.load(fh).get("ready", False)

    async def backoff(self, attempt):
        time.sleep(min(2 ** attempt, 30))  # expect: PERF008


async def load_settings(path):
    with open(path) as fh:  # expect: PERF008
        return json.load(fh)
