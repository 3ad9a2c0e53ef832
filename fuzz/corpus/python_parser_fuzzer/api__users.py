from fastapi import APIRouter, Depends

from ..db.session import get_session  # expect: ARCH007
from ..services import accounts

router = APIRouter(prefix="/users")


@router.get("/{user_id}")
def get_user(user_id: int, session=Depends(get_session)):
    return accounts.profile(session, user_id)


@router.delete("/{user_id}")
def delete_user(user_id: int, session=Depends(get_session)):
    import app.db.models as models  # expect: ARCH007
    session.query(models.User).filter(models.User.id == user_id).delete()
    return {"deleted": user_id}
