import json

from .models import Order


def dump(rows):
    return json.dumps([vars(r) for r in rows if isinstance(r, Order)])
