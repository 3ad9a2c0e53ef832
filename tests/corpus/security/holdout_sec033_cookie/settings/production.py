from .base import *  # noqa: F401,F403

ALLOWED_HOSTS = ["shop.example.com"]
SESSION_COOKIE_SECURE = False  # expect: SEC033
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
