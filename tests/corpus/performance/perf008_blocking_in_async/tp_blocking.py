import subprocess
import time

import requests


async def refresh_token(client_id):
    time.sleep(0.5)  # expect: PERF008
    resp = requests.post("https://auth.example.com/token", data={"id": client_id}, timeout=5)  # expect: PERF008
    return resp.json()


async def build_artifact(workdir):
    out = subprocess.check_output(["make", "-C", workdir])  # expect: PERF008
    return out.decode()


class Store:
    async def load(self, path):
        with open(path, "rb") as fh:  # expect: PERF008
            return fh.read()

    async def save(self, path, text):
        path.write_text(text)  # expect: PERF008
