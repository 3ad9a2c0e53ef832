def sync_inventory(warehouses, catalog, log):
    for warehouse in warehouses:
        if warehouse.active:
            for shelf in warehouse.shelves:
                try:
                    with shelf.lock():
                        if shelf.sku in catalog:  # expect: ARCH003
                            shelf.count = catalog[shelf.sku].count
                except TimeoutError:
                    log.warning("shelf %s busy", shelf.id)


def parse_config(text):
    result = {}
    for line in text.splitlines():
        if line.strip():
            if not line.startswith("#"):
                if "=" in line:
                    key, _, value = line.partition("=")
                    while value.endswith("\\"):  # expect: ARCH003
                        value = value[:-1]
                    result[key.strip()] = value.strip()
    return result
