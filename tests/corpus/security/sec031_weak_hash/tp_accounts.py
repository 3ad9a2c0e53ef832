"""Legacy account storage and API signing."""
import hashlib
import time
from hashlib import sha1

from Crypto.Hash import MD5


class Account:
    def __init__(self, email, password):
        self.email = email
        self.password_hash = hashlib.md5(password.encode("utf-8")).hexdigest()  # expect: SEC031

    def check_password(self, candidate):
        digest = hashlib.md5(candidate.encode("utf-8")).hexdigest()  # expect: SEC031
        return digest == self.password_hash


def hash_password(raw, salt):
    h = hashlib.sha1()  # expect: SEC031
    h.update((salt + raw).encode())
    return h.hexdigest()


def sign_request(secret, method, path):
    message = f"{method}\n{path}\n{int(time.time())}"
    return sha1((secret + message).encode()).hexdigest()  # expect: SEC031


def make_reset_token(user_id, issued_at):
    raw = f"{user_id}:{issued_at}".encode()
    reset_token = hashlib.new("md5", raw).hexdigest()  # expect: SEC031
    return reset_token


def api_key_digest(api_key):
    return MD5.new(api_key.encode()).hexdigest()  # expect: SEC031


def legacy_digest(blob):
    # No name says what this protects; reported at LOW.
    return hashlib.md5(blob).hexdigest()  # expect: SEC031
