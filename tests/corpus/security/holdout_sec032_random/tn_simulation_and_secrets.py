import random
import secrets
import time


def retry_with_backoff(fn, attempts=5):
    for attempt in range(attempts):
        try:
            return fn()
        except ConnectionError:
            time.sleep((2 ** attempt) + random.uniform(0, 1))
    raise RuntimeError("gave up")


def sample_for_review(orders, k=20):
    return random.sample(orders, min(k, len(orders)))


def new_session_id():
    return secrets.token_urlsafe(32)


def new_salt():
    return random.SystemRandom().getrandbits(64).to_bytes(8, "big")


def pick_test_account(tokens):
    return random.choice(tokens)
