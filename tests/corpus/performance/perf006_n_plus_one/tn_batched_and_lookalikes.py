import json
import time

import requests


def load_names(cur, user_ids):
    query = "SELECT id, name FROM users WHERE id IN (SELECT value FROM json_each(?))"
    cur.execute(query, (json.dumps(list(user_ids)),))
    by_id = dict(cur.fetchall())
    return [by_id.get(uid) for uid in user_ids]


def books(book_ids):
    found = Book.objects.in_bulk(book_ids)
    out = []
    for book_id in book_ids:
        out.append(found.get(book_id))
    return out


def health(url):
    for attempt in range(3):
        try:
            return requests.get(url, timeout=2).ok
        except requests.ConnectionError:
            time.sleep(2 ** attempt)
    return False


def wait_ready(url):
    while True:
        if requests.get(url, timeout=2).status_code == 200:
            return
        time.sleep(1)


def dispatch(executor, tasks, settings):
    results = []
    for task in tasks:
        executor.execute(task)
        results.append(settings.get(task.name))
    return results


def active_names(session):
    # The comprehension's iterable is one query, run once.
    return [u.name for u in session.query(User).filter(User.active.is_(True)).all()]
