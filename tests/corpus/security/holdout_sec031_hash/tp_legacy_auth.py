import hashlib
import hmac

from Crypto.Hash import MD5


class LegacyUser:
    def __init__(self, username, password):
        self.username = username
        self.password_digest = hashlib.sha1(password.encode()).hexdigest()  # expect: SEC031

    def verify(self, candidate):
        return hmac.compare_digest(self.password_digest, hashlib.sha1(candidate.encode()).hexdigest())  # expect: SEC031


def sign_download(path, secret):
    signature = hashlib.new("md5", (secret + path).encode()).hexdigest()  # expect: SEC031
    return f"{path}?sig={signature}"


def hash_api_key(api_key):
    token_hash = MD5.new(api_key.encode()).hexdigest()  # expect: SEC031
    return token_hash[:12]
