from django.contrib.auth.models import User
from sqlalchemy.orm import Session

from .models import Order, Shipment


def order_report(order_ids):
    rows = []
    for oid in order_ids:
        order = Order.objects.get(pk=oid)  # expect: PERF006
        rows.append((order.id, order.total))
    return rows


def shipment_status(db: Session, orders):
    result = {}
    for order in orders:
        shipment = db.query(Shipment).filter(Shipment.order_id == order.id).first()  # expect: PERF006
        result[order.id] = shipment.status if shipment else None
    return result


def owners(cursor, ticket_rows):
    names = []
    for row in ticket_rows:
        cursor.execute("SELECT name FROM users WHERE id = %s", (row["owner_id"],))  # expect: PERF006
        names.append(cursor.fetchone()[0])
    return names


def mark_active(usernames):
    for name in usernames:
        User.objects.filter(username=name).update(is_active=True)  # expect: PERF006
