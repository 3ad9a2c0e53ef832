"""Code of the same shape is not a copy: names and values differ, so each must stay."""
import json
import logging
from http import HTTPStatus

log = logging.getLogger(__name__)


def handle_create(request, store):
    payload = json.loads(request.body)
    if "name" not in payload:
        return HTTPStatus.BAD_REQUEST, {"error": "name is required"}
    item = store.create(payload)
    log.info("created %s", item.id)
    return HTTPStatus.CREATED, {"id": item.id}


def handle_update(request, store):
    payload = json.loads(request.body)
    if "id" not in payload:
        return HTTPStatus.BAD_REQUEST, {"error": "id is required"}
    item = store.update(payload["id"], payload)
    log.info("updated %s", item.id)
    return HTTPStatus.OK, {"id": item.id}


class Point:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z


class Size:
    def __init__(self, width, height, depth):
        self.width = width
        self.height = height
        self.depth = depth
