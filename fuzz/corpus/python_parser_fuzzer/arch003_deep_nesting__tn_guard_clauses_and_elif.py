def sync_inventory(warehouses, catalog, log):
    for warehouse in warehouses:
        if not warehouse.active:
            continue
        for shelf in warehouse.shelves:
            try:
                with shelf.lock():
                    update_shelf(shelf, catalog)
            except TimeoutError:
                log.warning("shelf %s busy", shelf.id)


def update_shelf(shelf, catalog):
    if shelf.sku in catalog:
        shelf.count = catalog[shelf.sku].count


def classify(status):
    if status == 200:
        return "ok"
    elif status == 301:
        return "moved"
    elif status == 404:
        return "missing"
    elif status == 500:
        return "error"
    elif status == 503:
        return "unavailable"
    else:
        return "other"


def outer(items):
    for item in items:
        if item:
            def visit(node):
                for child in node.children:
                    if child.ok:
                        with child.lock():
                            child.touch()
            visit(item)
