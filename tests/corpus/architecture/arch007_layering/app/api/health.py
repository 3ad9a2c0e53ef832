"""Look-alikes that are not the db layer: dbm (standard library) and the api's own db_status."""
import dbm

from app.api import db_status
from app.services.checkout import place


def ping():
    return {"db": db_status.ok(), "cache": dbm.whichdb("cache") is not None, "place": bool(place)}
