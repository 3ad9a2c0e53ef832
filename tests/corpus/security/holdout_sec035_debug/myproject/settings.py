from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEBUG = True  # expect: SEC035
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "myproject.urls"
