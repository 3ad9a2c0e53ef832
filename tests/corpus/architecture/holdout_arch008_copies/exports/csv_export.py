import csv
import io
from decimal import Decimal


def export_csv(orders):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["number", "customer", "net", "vat", "gross"])
    for order in orders:
        net = sum((Decimal(l.price) * l.qty for l in order.lines), Decimal("0"))
        vat = (net * Decimal(order.vat_rate) / 100).quantize(Decimal("0.01"))
        gross = net + vat
        if order.discount:
            gross -= (gross * Decimal(order.discount) / 100).quantize(Decimal("0.01"))
        customer = order.customer.company or order.customer.name
        writer.writerow([order.number, customer, net, vat, gross])
    return buf.getvalue()
