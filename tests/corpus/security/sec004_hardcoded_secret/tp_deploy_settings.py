"""Deployment settings committed with live credentials."""
import psycopg2
import stripe

AWS_ACCESS_KEY_ID = "AKIAZ7QK3XW2M5N8P4RT"  # expect: SEC004
AWS_SECRET_ACCESS_KEY = "wJ8rT2xKq9LmZ4vB7nC1pD6sF3gH0jY5uE8iO2aW"  # expect: SEC004
GITHUB_DEPLOY_TOKEN = "ghp_R7k2Lm9QxZ4vB8nC1pD6sF3gH0jY5uE8iO2a"  # expect: SEC004
SLACK_ALERTS = "xoxb-2143658709-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"  # expect: SEC004
SECRET_KEY = "django-insecure-5#x@k!9w^b3$z2q&m8r7v(t0y%u+e1i*o"  # expect: SEC004

stripe.api_key = "sk_live_51Hq8ZyL2kRm9XvB4nC7tD3sF6gJ0"  # expect: SEC004

OAUTH_CLIENT = {
    "client_id": "web-dashboard",
    "client_secret": "9aF3kQ7zL2mX8vB4nR6t",  # expect: SEC004
}

SIGNING_KEY = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6\n"  # expect: SEC004
    "-----END RSA PRIVATE KEY-----\n"
)


def connect():
    return psycopg2.connect(host="db.internal", user="app", password="Xk7#pL9q!mR2")  # expect: SEC004
