import csv
import datetime as dt
from decimal import Decimal


def import_orders(path, db, notifier, strict=False):  # expect: ARCH002, PERF004, PERF010
    """Read the partner CSV, validate each row, upsert orders and notify."""
    customers = {c.number: c for c in db.customers.all()}
    existing_orders = {o.number: o for o in db.orders.all()}
    to_insert = []
    to_update = []
    rejected = []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        for lineno, row in enumerate(reader, start=2):
            number = (row.get("order_no") or "").strip()
            if not number:
                rejected.append((lineno, "missing order number"))
                continue
            try:
                amount = Decimal(row.get("amount", "0").replace(",", "."))
            except ArithmeticError:
                rejected.append((lineno, "bad amount"))
                continue
            try:
                placed = dt.datetime.strptime(row.get("date", ""), "%d.%m.%Y").date()
            except ValueError:
                rejected.append((lineno, "bad date"))
                continue
            currency = (row.get("currency") or "EUR").upper()
            if currency not in {"EUR", "CHF", "GBP"}:
                rejected.append((lineno, f"currency {currency}"))
                continue
            customer = customers.get(row.get("customer_no"))
            if customer is None:
                rejected.append((lineno, "unknown customer"))
                continue
            existing = existing_orders.get(number)
            if existing is None:
                to_insert.append({"number": number, "customer_id": customer.id,
                                  "amount": amount, "currency": currency, "placed": placed})
            elif existing.amount != amount or existing.placed != placed:
                existing.amount = amount
                existing.placed = placed
                to_update.append(existing)
    if not to_insert and not to_update and not rejected:
        notifier.send("orders-import", "nothing to import")
        return 0, 0, []
    total = sum((o["amount"] for o in to_insert), Decimal("0"))
    if rejected and strict:
        raise ValueError(f"{len(rejected)} rows rejected")
    with db.transaction():
        db.orders.bulk_insert(to_insert)
        db.orders.bulk_update(to_update, fields=["amount", "placed"])
    summary = (f"{len(to_insert)} created ({total} in new orders), "
               f"{len(to_update)} updated, {len(rejected)} rejected")
    notifier.send("orders-import", summary)
    details = "\n".join(f"line {n}: {reason}" for n, reason in rejected[:20])
    if details:
        notifier.send("orders-import", details)
    return len(to_insert), len(to_update), rejected
