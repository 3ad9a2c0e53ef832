from decimal import Decimal

from openpyxl import Workbook


def export_xlsx(orders, path):
    wb = Workbook()
    sheet = wb.active
    sheet.append(["number", "customer", "net", "vat", "gross"])
    for order in sorted(orders, key=lambda o: o.number):
        # same figures as the CSV export
        net = sum((Decimal(l.price) * l.qty for l in order.lines), Decimal("0"))  # expect: ARCH008
        vat = (net * Decimal(order.vat_rate) / 100).quantize(Decimal("0.01"))
        gross = net + vat
        if order.discount:
            gross -= (gross * Decimal(order.discount) / 100).quantize(Decimal("0.01"))
        customer = order.customer.company or order.customer.name
        sheet.append([order.number, customer, float(net), float(vat), float(gross)])
    wb.save(path)
