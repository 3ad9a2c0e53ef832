import json
import logging
import os

log = logging.getLogger(__name__)


def load_users(path):
    with open(path) as fh:
        data = json.load(fh)
    log.info("loaded %d records from %s", len(data), path)
    return data


def load_groups(path):
    with open(path) as fh:
        data = json.load(fh)
    log.info("loaded %d records from %s", len(data), path)
    return {g["id"]: g for g in data}


def env_flag(name):
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}
