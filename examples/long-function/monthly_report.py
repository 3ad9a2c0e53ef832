"""Monthly sales report for the finance team: one function that does everything."""

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal


def build_monthly_report(orders, refunds, month: date, currency: str = "EUR") -> dict:
    """Builds the month's report from order and refund records (dicts from the warehouse)."""
    # --- select the month's records ---
    month_orders = []
    for order in orders:
        placed = order["placed_on"]
        if placed.year == month.year and placed.month == month.month:
            month_orders.append(order)
    month_refunds = []
    for refund in refunds:
        issued = refund["issued_on"]
        if issued.year == month.year and issued.month == month.month:
            month_refunds.append(refund)

    # --- revenue ---
    gross = Decimal(0)
    discounts = Decimal(0)
    shipping = Decimal(0)
    tax = Decimal(0)
    for order in month_orders:
        gross += order["subtotal"]
        discounts += order.get("discount", Decimal(0))
        shipping += order.get("shipping", Decimal(0))
        tax += order.get("tax", Decimal(0))
    refunded = Decimal(0)
    for refund in month_refunds:
        refunded += refund["amount"]
    net = gross - discounts - refunded
    order_count = len(month_orders)
    average_order = net / order_count if order_count else Decimal(0)

    # --- regions ---
    by_region = defaultdict(Decimal)
    orders_by_region = Counter()
    for order in month_orders:
        region = order.get("region") or "unknown"
        by_region[region] += order["subtotal"]
        orders_by_region[region] += 1
    region_rows = []
    for region in sorted(by_region):
        share = by_region[region] / gross if gross else Decimal(0)
        region_rows.append(
            {
                "region": region,
                "revenue": by_region[region],
                "orders": orders_by_region[region],
                "share": round(share * 100, 1),
            }
        )

    # --- categories ---
    by_category = defaultdict(Decimal)
    units_by_category = Counter()
    for order in month_orders:
        for line in order["lines"]:
            category = line.get("category", "other")
            by_category[category] += line["price"] * line["quantity"]
            units_by_category[category] += line["quantity"]
    category_rows = []
    for category, revenue in sorted(by_category.items(), key=lambda kv: kv[1], reverse=True):
        category_rows.append(
            {
                "category": category,
                "revenue": revenue,
                "units": units_by_category[category],
            }
        )
    top_category = category_rows[0]["category"] if category_rows else None

    # --- customers ---
    spend_by_customer = defaultdict(Decimal)
    first_orders = 0
    for order in month_orders:
        spend_by_customer[order["customer_id"]] += order["subtotal"]
        if order.get("first_order"):
            first_orders += 1
    returning = len(spend_by_customer) - first_orders
    top_customers = []
    ranked = sorted(spend_by_customer.items(), key=lambda kv: kv[1], reverse=True)
    for customer_id, spend in ranked[:10]:
        top_customers.append({"customer_id": customer_id, "spend": spend})
    repeat_rate = returning / len(spend_by_customer) if spend_by_customer else 0.0

    # --- refunds ---
    refund_reasons = Counter()
    refund_by_category = defaultdict(Decimal)
    for refund in month_refunds:
        refund_reasons[refund.get("reason", "unspecified")] += 1
        refund_by_category[refund.get("category", "other")] += refund["amount"]
    refund_rate = refunded / gross if gross else Decimal(0)
    worst_category = None
    worst_rate = Decimal(0)
    for category, amount in refund_by_category.items():
        revenue = by_category.get(category, Decimal(0))
        rate = amount / revenue if revenue else Decimal(0)
        if rate > worst_rate:
            worst_category, worst_rate = category, rate

    # --- fulfilment ---
    shipped_late = 0
    delivery_days = []
    carriers = Counter()
    for order in month_orders:
        shipped = order.get("shipped_on")
        if shipped is None:
            continue
        carriers[order.get("carrier", "unknown")] += 1
        if (shipped - order["placed_on"]).days > 2:
            shipped_late += 1
        delivered = order.get("delivered_on")
        if delivered is not None:
            delivery_days.append((delivered - shipped).days)
    late_rate = shipped_late / order_count if order_count else 0.0
    median_delivery = None
    if delivery_days:
        delivery_days.sort()
        middle = len(delivery_days) // 2
        median_delivery = delivery_days[middle]
    main_carrier = carriers.most_common(1)[0][0] if carriers else None

    # --- payment methods ---
    payments = Counter()
    failed_payments = 0
    for order in month_orders:
        payments[order.get("payment_method", "card")] += 1
        if order.get("payment_retries", 0) > 0:
            failed_payments += 1
    payment_rows = [
        {"method": method, "orders": count} for method, count in payments.most_common()
    ]

    # --- warnings for the finance team ---
    warnings = []
    if refund_rate > Decimal("0.05"):
        warnings.append(f"refunds are {refund_rate:.1%} of gross revenue")
    if late_rate > 0.1:
        warnings.append(f"{late_rate:.0%} of orders shipped more than two days late")
    if worst_category is not None and worst_rate > Decimal("0.1"):
        warnings.append(f"category {worst_category} refunds {worst_rate:.0%} of its revenue")
    if failed_payments > order_count // 20:
        warnings.append(f"{failed_payments} orders needed a payment retry")
    if not month_orders:
        warnings.append("no orders this month")

    # --- summary text ---
    lines = [
        f"Sales report for {month:%B %Y} ({currency})",
        f"Orders: {order_count}, average {average_order:.2f}",
        f"Gross {gross:.2f}, discounts {discounts:.2f}, refunds {refunded:.2f}",
        f"Net revenue {net:.2f}; shipping {shipping:.2f}; tax {tax:.2f}",
        f"Customers: {len(spend_by_customer)} ({first_orders} new, repeat rate {repeat_rate:.0%})",
    ]
    if top_category is not None:
        lines.append(f"Top category: {top_category}")
    if main_carrier is not None:
        lines.append(f"Main carrier: {main_carrier}")
    if median_delivery is not None:
        lines.append(f"Median delivery: {median_delivery} days")
    for warning in warnings:
        lines.append(f"WARNING: {warning}")
    summary = "\n".join(lines)

    return {
        "month": month.isoformat(),
        "currency": currency,
        "orders": order_count,
        "gross": gross,
        "discounts": discounts,
        "shipping": shipping,
        "tax": tax,
        "refunded": refunded,
        "net": net,
        "average_order": average_order,
        "regions": region_rows,
        "categories": category_rows,
        "top_customers": top_customers,
        "repeat_rate": repeat_rate,
        "refund_reasons": dict(refund_reasons),
        "refund_rate": refund_rate,
        "worst_refund_category": worst_category,
        "late_rate": late_rate,
        "median_delivery_days": median_delivery,
        "carriers": dict(carriers),
        "payments": payment_rows,
        "warnings": warnings,
        "summary": summary,
    }
