import os

from pydantic import BaseSettings

PASSWORD_FIELD = "password"
TOKEN_URL = "https://auth.example.com/oauth2/token"
API_KEY_HEADER = "X-Api-Key"


class Settings(BaseSettings):
    database_url: str = "postgresql://localhost/app"
    secret_key: str = os.environ.get("SECRET_KEY", "")
    api_token: str = ""

    class Config:
        env_file = ".env"


def login_form_fields():
    return {"username": "", "password": "", "remember": False}


DB_PASSWORD = os.environ["DB_PASSWORD"]
GITHUB_TOKEN = os.getenv("GITHUB_TOKEN")
password_reset_template = "emails/password_reset.html"
