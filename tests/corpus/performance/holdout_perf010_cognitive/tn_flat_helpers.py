def _apply(local, sku, item, dry_run):
    if dry_run:
        return
    if item.qty == 0:
        local.pop(sku, None)
    else:
        local[sku] = item


def _change_kind(current, item):
    if current is None:
        return "add"
    if current.qty == item.qty:
        return None
    if current.locked:
        return "skip"
    return "remove" if item.qty == 0 else "update"


def merge_inventory(local, remote, dry_run=False):
    changes = []
    for sku, item in remote.items():
        kind = _change_kind(local.get(sku), item)
        if kind is None or kind == "skip":
            continue
        _apply(local, sku, item, dry_run)
        changes.append((kind, sku))
    changes.extend(("stale", sku) for sku in local.keys() - remote.keys())
    return changes
