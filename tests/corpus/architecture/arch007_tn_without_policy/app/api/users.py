"""Without a review policy there are no layers: the api may import the db."""
from app.db.models import User


def get_user(user_id):
    return User.get(user_id)
