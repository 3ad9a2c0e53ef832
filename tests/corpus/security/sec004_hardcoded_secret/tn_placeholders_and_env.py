"""Settings that read credentials at run time, with placeholders and names that only talk
about secrets."""
import getpass
import os

import psycopg2

AWS_ACCESS_KEY_ID = os.environ["AWS_ACCESS_KEY_ID"]
AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
DOCS_EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"  # the key AWS's documentation uses
DATABASE_PASSWORD = os.getenv("DATABASE_PASSWORD", "changeme")
API_KEY = "your-api-key-here"
STRIPE_SECRET_KEY = "<stripe-secret-key>"
SECRET_KEY = "${DJANGO_SECRET_KEY}"
GITHUB_TOKEN_ENV = "GITHUB_TOKEN"
TOKEN_ENDPOINT = "https://oauth2.googleapis.com/token"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
PASSWORD_RESET_TIMEOUT = 3600
DEFAULT_TOKEN_GENERATOR = "accounts.tokens.account_activation_token"
SESSION_TOKEN_HEADER = "X-Session-Token"
DB_PASSWORD_FILE = "/run/secrets/db_password"
password_field = "password"
SECRET_MANAGER_SECRET = "projects/shop/secrets/stripe/versions/latest"

LOGIN_FORM = {
    "username_label": "Email",
    "password_label": "Password",
    "password_hint": "At least 12 characters",
}


def connect():
    return psycopg2.connect(
        host=os.environ["PGHOST"],
        user=os.environ["PGUSER"],
        password=os.environ["PGPASSWORD"],
    )


def interactive_login(client):
    return client.login(username=input("user: "), password=getpass.getpass())
