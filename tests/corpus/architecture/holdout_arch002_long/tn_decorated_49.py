import functools
import os


def register(registry):
    def wrap(fn):
        registry[fn.__name__] = fn
        return fn
    return wrap


CONFIGS = {}


@register(CONFIGS)
@functools.lru_cache(maxsize=4)
def logging_config(level=None):
    """Logging settings for the workers: 49 lines from def to the closing brace."""
    level = level or os.environ.get("LOG_LEVEL", "INFO")
    json_logs = os.environ.get("LOG_FORMAT", "json") == "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.jsonlogger.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            },
            "plain": {
                "format": "%(asctime)s %(levelname)-8s %(name)s: %(message)s",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_logs else "plain",
                "stream": "ext://sys.stdout",
            },
            "audit": {
                "class": "logging.handlers.RotatingFileHandler",
                "formatter": "json",
                "filename": "/var/log/app/audit.log",
                "maxBytes": 10 * 1024 * 1024,
                "backupCount": 5,
            },
        },
        "loggers": {
            "app": {"handlers": ["console"], "level": level},
            "app.audit": {
                "handlers": ["audit"],
                "level": "INFO",
                "propagate": False,
            },
            "sqlalchemy.engine": {"handlers": ["console"], "level": "WARNING"},
            "urllib3": {"handlers": ["console"], "level": "WARNING"},
            "botocore": {
                "handlers": ["console"],
                "level": "WARNING",
            },
        },
        "root": {
            "handlers": ["console"],
            "level": "WARNING",
        },
    }
