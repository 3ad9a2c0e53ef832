import requests
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .models import Order


def order_report(order_ids):
    orders = Order.objects.filter(pk__in=order_ids).select_related("customer")
    return [(o.id, o.customer.name) for o in orders]


def with_lines(db: Session, ids):
    stmt = select(Order).where(Order.id.in_(ids)).options(selectinload(Order.lines))
    return db.execute(stmt).scalars().all()


def stock_levels(base_url, skus):
    resp = requests.post(f"{base_url}/stock/batch", json={"skus": list(skus)}, timeout=10)
    levels = resp.json()
    return {sku: levels.get(sku, 0) for sku in skus}


def summarize(orders):
    out = []
    for order in orders:
        out.append(order.get("total", 0))
    return out
