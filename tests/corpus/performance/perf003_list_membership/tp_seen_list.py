def unique_users(events):
    seen = []
    result = []
    for event in events:
        if event.user_id not in seen:  # expect: PERF003
            seen.append(event.user_id)
            result.append(event)
    return result


def allowed_files(paths):
    return [p for p in paths if p.suffix in ['.py', '.pyi', '.pyx']]  # expect: PERF003
