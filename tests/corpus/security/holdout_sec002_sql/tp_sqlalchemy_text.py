from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_session

router = APIRouter(prefix="/customers")


@router.get("/search")
def search_customers(name: str, sort: str = "created_at", db: Session = Depends(get_session)):
    stmt = text(f"SELECT id, name, email FROM customers WHERE name ILIKE '%{name}%' ORDER BY {sort}")
    rows = db.execute(stmt).mappings().all()  # expect: SEC002
    return [dict(r) for r in rows]


@router.delete("/{customer_id}")
def delete_customer(customer_id: str, db: Session = Depends(get_session)):
    db.execute(text("DELETE FROM customers WHERE id = " + customer_id))  # expect: SEC002
    db.commit()
    return {"deleted": customer_id}
