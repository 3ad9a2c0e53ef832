def active_users(sessions):
    users = []
    for session in sessions:
        users.append(session.get("user_id"))
    return users


def settings_for(app, keys):
    return {key: app.config.get(key) for key in keys}


def fail_over(path):
    import requests

    for mirror in ("https://a.example.com", "https://b.example.com"):
        try:
            return requests.get(mirror + path, timeout=3).content
        except requests.RequestException:
            continue
    return None
