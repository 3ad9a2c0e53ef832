from sqlalchemy import select, text
from sqlalchemy.orm import Session

from .models import Invoice


def unpaid_invoices(db: Session, customer_id: int, limit: int = 50):
    stmt = text("SELECT id, total FROM invoices WHERE customer_id = :cid AND paid = false LIMIT :lim")
    return db.execute(stmt, {"cid": customer_id, "lim": limit}).all()


def invoice_by_number(db: Session, number: str):
    return db.execute(select(Invoice).where(Invoice.number == number)).scalar_one_or_none()
