import requests
from urllib.request import urlopen


def fetch_profiles(usernames):
    profiles = {}
    for name in usernames:
        resp = requests.get(f"https://api.example.com/users/{name}", timeout=10)  # expect: PERF006
        profiles[name] = resp.json()
    return profiles


class Client:
    def __init__(self):
        self.http = requests.Session()

    def push(self, items):
        for item in items:
            self.http.post("https://api.example.com/items", json=item, timeout=5)  # expect: PERF006


def pages(urls):
    return [urlopen(u, timeout=5).read() for u in urls]  # expect: PERF006
