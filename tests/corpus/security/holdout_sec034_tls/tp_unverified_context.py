import json
import ssl
import urllib.request


def fetch_config(url):
    ctx = ssl._create_unverified_context()  # expect: SEC034
    with urllib.request.urlopen(url, context=ctx, timeout=10) as resp:
        return json.load(resp)
