"""net.socket: a thin wrapper; importing net.http from here would be a cycle, so it does not."""
import ssl


def wrap(sock):
    return ssl.create_default_context().wrap_socket(sock, server_hostname=None)
