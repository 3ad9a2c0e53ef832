"""Randomness that protects nothing, and secrets made the right way."""
import random
import secrets
import string
import time

ALPHABET = string.ascii_letters + string.digits


def generate_password(length=16):
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_session_id():
    return secrets.token_hex(16)


def generate_token():
    rng = random.SystemRandom()
    return "".join(rng.choice(ALPHABET) for _ in range(32))


def reset_code():
    return random.SystemRandom().randint(100000, 999999)


def retry_with_backoff(call, attempts=5):
    for attempt in range(attempts):
        try:
            return call()
        except ConnectionError:
            delay = (2 ** attempt) + random.uniform(0, 1)
            time.sleep(delay)
    raise RuntimeError("gave up")


def monte_carlo_pi(samples=100_000):
    inside = 0
    for _ in range(samples):
        x, y = random.random(), random.random()
        if x * x + y * y <= 1:
            inside += 1
    return 4 * inside / samples


def pick_replica(replicas):
    return random.choice(replicas)


def rotate_session(active_sessions):
    # Picks one of the sessions that already exist; it makes no new secret.
    session = random.choice(active_sessions)
    return session


def sample_tokens(vocab, k):
    token = random.choice(vocab)
    return [token] + random.sample(vocab, k)


def refresh_token_later(scheduler, token):
    jitter = random.randint(0, 30)
    scheduler.call_later(300 + jitter, token.refresh)


def shuffled_quiz(questions):
    order = list(questions)
    random.shuffle(order)
    return order
