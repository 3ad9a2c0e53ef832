"""MD5 and SHA-1 where nothing is protected: content addressing, ETags, cache keys,
Gravatar URLs, and digests marked usedforsecurity=False."""
import hashlib


def file_checksum(path, chunk_size=65536):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            h.update(chunk)
    return h.hexdigest()


def etag_for(body):
    etag = hashlib.sha1(body).hexdigest()
    return f'W/"{etag}"'


def cache_key(prefix, *parts):
    raw = ":".join(str(p) for p in parts)
    return prefix + hashlib.md5(raw.encode()).hexdigest()


def gravatar_url(email):
    avatar_hash = hashlib.md5(email.strip().lower().encode()).hexdigest()
    return f"https://www.gravatar.com/avatar/{avatar_hash}"


def shard_for(user_id, shards):
    bucket = int(hashlib.md5(str(user_id).encode()).hexdigest(), 16)
    return bucket % shards


def dedupe_key(record):
    return hashlib.sha1(repr(sorted(record.items())).encode(), usedforsecurity=False).hexdigest()


def hash_password(raw, salt):
    return hashlib.scrypt(raw.encode(), salt=salt, n=2**14, r=8, p=1).hex()


def sign(secret, message):
    return hashlib.sha256((secret + message).encode()).hexdigest()


def content_fingerprint(text):
    return hashlib.new("sha256", text.encode()).hexdigest()


def legacy_webhook_mac(key, body):
    # HMAC-MD5: the hash is the HMAC's digestmod, which collisions do not break.
    import hmac

    return hmac.new(key, body, hashlib.md5).hexdigest()
