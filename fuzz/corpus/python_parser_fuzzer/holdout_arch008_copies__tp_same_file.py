import logging

log = logging.getLogger(__name__)


class SyncWorker:
    def __init__(self, api, store):
        self.api = api
        self.store = store

    def sync_customers(self, since):
        page = self.api.list("customers", since=since)
        saved = 0
        for item in page.items:
            record = self.store.upsert(item["id"], item)
            if record.changed:
                saved += 1
                log.info("updated %s %s", record.kind, record.id)
        self.store.commit()
        return saved

    def sync_suppliers(self, since):
        page = self.api.list("suppliers", since=since)
        saved = 0  # expect: ARCH008
        for item in page.items:
            record = self.store.upsert(item["id"], item)
            if record.changed:
                saved += 1
                log.info("updated %s %s", record.kind, record.id)
        self.store.commit()
        return saved
