"""A metrics pusher that speaks TLS over a raw socket."""
import socket
import ssl


def push(host, port, payload):
    # PROTOCOL_TLS_CLIENT would verify; PROTOCOL_TLS starts with CERT_NONE and no host check.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS)  # expect: SEC034
    with socket.create_connection((host, port)) as sock:
        with context.wrap_socket(sock, server_hostname=host) as tls:
            tls.sendall(payload)
