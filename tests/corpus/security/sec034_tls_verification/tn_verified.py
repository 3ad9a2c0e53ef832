"""Clients that keep verification on: a private CA bundle, a configured flag, localhost."""
import os
import ssl

import httpx
import jwt
import requests

CA_BUNDLE = os.environ.get("INTERNAL_CA_BUNDLE", "/etc/ssl/certs/internal-ca.pem")
VERIFY_TLS = os.environ.get("VERIFY_TLS", "1") != "0"


def fetch_invoice(invoice_id):
    resp = requests.get(f"https://billing.internal/api/invoices/{invoice_id}", verify=CA_BUNDLE)
    resp.raise_for_status()
    return resp.json()


def configured_client():
    return httpx.Client(verify=VERIFY_TLS, timeout=10)


def health_check():
    # The sidecar's self-signed certificate on the loopback interface.
    return requests.get("https://localhost:9443/healthz", verify=False, timeout=1).ok


def tls_context(cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.check_hostname = True
    return ctx


def read_claims(token):
    # Signature checks are a different matter (not TLS); verify here is PyJWT's.
    return jwt.decode(token, options={"verify_signature": True}, algorithms=["HS256"], key=CA_BUNDLE)


def client_for(env):
    if os.environ.get("APP_ENV") == "local":
        return requests.Session()
    session = requests.Session()
    session.verify = CA_BUNDLE
    return session


def server_context(certfile, keyfile):
    # A server does not verify clients unless it asks for client certificates.
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(certfile, keyfile)
    return ctx
