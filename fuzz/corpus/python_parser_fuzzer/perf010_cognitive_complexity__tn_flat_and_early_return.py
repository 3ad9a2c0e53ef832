def http_reason(status):  # expect: PERF004
    match status:
        case 200:
            return "OK"
        case 201:
            return "Created"
        case 204:
            return "No Content"
        case 301:
            return "Moved Permanently"
        case 302:
            return "Found"
        case 400:
            return "Bad Request"
        case 401:
            return "Unauthorized"
        case 403:
            return "Forbidden"
        case 404:
            return "Not Found"
        case 500:
            return "Internal Server Error"
        case _:
            return "Unknown"


def apply_field(remote, key, value, dry_run):
    if dry_run:
        return 0
    if key in remote and remote[key] == value:
        return 0
    remote[key] = value
    return 1


def sync_account(account, remote, dry_run):
    if not account.active:
        remote.pop(account.id, None)
        return 0
    return sum(apply_field(remote, k, v, dry_run) for k, v in account.fields.items())
