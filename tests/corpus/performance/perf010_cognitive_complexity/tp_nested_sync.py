def sync_accounts(accounts, remote, dry_run):  # expect: PERF010
    changed = 0
    for account in accounts:
        if account.active:
            for key, value in account.fields.items():
                if key in remote:
                    if remote[key] != value:
                        if not dry_run:  # expect: ARCH003
                            remote[key] = value
                        changed += 1
                elif value is not None and not dry_run:
                    remote[key] = value
        else:
            remote.pop(account.id, None)
    return changed
