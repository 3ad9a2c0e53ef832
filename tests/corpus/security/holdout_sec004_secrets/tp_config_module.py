import os

DATABASE = {
    "host": os.environ.get("DB_HOST", "db"),
    "user": "app",
    "password": "q7Rz!x2LpV9#mKd4",  # expect: SEC004
}

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
SMTP_PASSWORD = "Hj3kL9mQ2wXz8Tb5"  # expect: SEC004
SMTP_USER = "mailer@example.com"
