"""net.http: our HTTP helpers. `import socket` below is the standard library's socket,
not net/socket.py: inside a package, absolute imports are never siblings."""
import socket

from . import socket as net_socket


def connect(host, port):
    return net_socket.wrap(socket.create_connection((host, port), timeout=5))
