"""The same import block and tiny repeated statements are not duplicated blocks."""
import json
import logging
from http import HTTPStatus

log = logging.getLogger(__name__)


def retry_policy():
    attempts = 3
    delay = 0.5
    backoff = 2
    jitter = 0.1
    limit = 30
    return attempts, delay, backoff, jitter, limit


def defaults():
    attempts = 3
    delay = 0.5
    backoff = 2
    jitter = 0.1
    limit = 30
    return {"attempts": attempts, "delay": delay, "backoff": backoff, "limit": limit,
            "jitter": jitter, "status": HTTPStatus.OK, "encoder": json.dumps, "log": log}
