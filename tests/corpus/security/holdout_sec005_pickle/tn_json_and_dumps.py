import json
import pickle

from flask import Blueprint, request

api = Blueprint("state", __name__)


@api.route("/state", methods=["POST"])
def save_state():
    state = json.loads(request.data)
    with open("/var/lib/app/state.pkl", "wb") as fh:
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return {"saved": True, "size": len(pickle.dumps(state))}
