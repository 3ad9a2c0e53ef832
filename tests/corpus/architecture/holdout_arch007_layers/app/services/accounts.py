from app.db.models import User


def profile(session, user_id):
    user = session.get(User, user_id)
    return {"id": user.id, "email": user.email}
