from app.db.session import Session  # expect: ARCH007
from app.services import checkout


def create_order(payload):
    with Session() as session:
        return checkout.place(session, payload)
