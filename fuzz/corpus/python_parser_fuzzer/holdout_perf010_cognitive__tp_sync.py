def merge_inventory(local, remote, dry_run=False):  # expect: PERF004, PERF010
    changes = []
    for sku, item in remote.items():
        if sku not in local:
            if not dry_run:
                local[sku] = item
            changes.append(("add", sku))
            continue
        current = local[sku]
        if current.qty != item.qty:
            if item.qty == 0 and not item.backorder:
                if not dry_run:
                    del local[sku]
                changes.append(("remove", sku))
            elif current.locked:
                changes.append(("skip", sku))
            else:
                if not dry_run:
                    current.qty = item.qty
                changes.append(("update", sku))
    for sku in list(local):
        if sku not in remote:
            changes.append(("stale", sku))
    return changes
