from app.db.models import Order


def place(session, payload):
    order = Order(**payload)
    session.add(order)
    return order
