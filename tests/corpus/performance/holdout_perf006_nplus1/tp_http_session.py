import requests


class InventoryClient:
    def __init__(self, base_url):
        self.base_url = base_url
        self.http = requests.Session()

    def stock_levels(self, skus):
        levels = {}
        for sku in skus:
            resp = self.http.get(f"{self.base_url}/stock/{sku}", timeout=5)  # expect: PERF006
            levels[sku] = resp.json()["level"]
        return levels
