import json
import socket
import urllib.request


async def load_settings(path):
    return json.load(open(path))  # expect: PERF008


async def ping(host):
    sock = socket.create_connection((host, 80), timeout=3)  # expect: PERF008
    sock.sendall(b"HEAD / HTTP/1.0\r\n\r\n")  # expect: PERF008
    return sock.recv(128)  # expect: PERF008


async def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as r:  # expect: PERF008
        return r.read()


async def upload(s3, path):
    # boto3 clients block; nothing in the call says so.
    s3.upload_file(path, "backups", "latest.tar")  # expect: PERF008
