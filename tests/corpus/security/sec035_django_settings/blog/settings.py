"""Django settings for blog (single settings module)."""
import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = True  # expect: SEC035
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.admin", "blog"]
