"""Debug mode chosen by the environment, kept to development configurations, or unrelated."""
import asyncio
import logging
import os

from flask import Flask

app = Flask(__name__)
app.config["DEBUG"] = os.environ.get("FLASK_DEBUG") == "1"

log = logging.getLogger(__name__)
log.setLevel(logging.DEBUG)


class Config:
    DEBUG = False


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    DEBUG = True
    TESTING = True


async def main():
    await asyncio.sleep(0)


def run_worker():
    asyncio.run(main(), debug=True)


if __name__ == "__main__":
    if os.environ.get("APP_ENV") == "development":
        app.run(debug=True)
    else:
        app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")), debug=False)
