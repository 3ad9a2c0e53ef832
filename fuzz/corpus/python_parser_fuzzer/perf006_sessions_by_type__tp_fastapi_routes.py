from typing import Optional

from fastapi import Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .database import SessionLocal, get_db
from .models import Invoice, Customer


def invoice_totals(customer_ids: list[int], s: Session = Depends(get_db)):
    totals = {}
    for cid in customer_ids:
        invoices = s.scalars(select(Invoice).where(Invoice.customer_id == cid)).all()  # expect: PERF006
        totals[cid] = sum(i.amount for i in invoices)
    return totals


def refresh_all(customers, uow: Optional[Session] = None):
    for c in customers:
        uow.refresh(c)  # expect: PERF006


def nightly_names(ids):
    worker = SessionLocal()
    try:
        return [worker.get(Customer, i).name for i in ids]  # expect: PERF006
    finally:
        worker.close()
