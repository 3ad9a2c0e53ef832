import hashlib
from pathlib import Path


def file_checksum(path: Path) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(65536), b""):
            h.update(chunk)
    return h.hexdigest()


def etag_for(body: bytes) -> str:
    etag = hashlib.md5(body).hexdigest()
    return f'"{etag}"'


def cache_key(url, params):
    cache_key = hashlib.sha1(f"{url}?{sorted(params.items())}".encode()).hexdigest()
    return "http:" + cache_key


def password_hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
