import ssl

import httpx
import requests

CA_BUNDLE = "/etc/ssl/certs/internal-ca.pem"


def internal_client():
    return httpx.Client(base_url="https://billing.internal", verify=CA_BUNDLE)


def partner_get(path):
    return requests.get("https://partner.example.net" + path, timeout=10, verify="/etc/ssl/partner.pem")


def mtls_context():
    ctx = ssl.create_default_context(cafile=CA_BUNDLE)
    ctx.load_cert_chain("/etc/ssl/client.pem", "/etc/ssl/client.key")
    return ctx


def local_debug_probe():
    return requests.get("https://localhost:8443/healthz", verify=False, timeout=2).status_code
