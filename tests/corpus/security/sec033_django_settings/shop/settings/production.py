"""Production settings for the shop."""
from .base import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]
SESSION_COOKIE_SECURE = False  # expect: SEC033
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = False  # expect: SEC033
SECURE_SSL_REDIRECT = True
