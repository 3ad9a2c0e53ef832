def settle(invoice):
    if invoice.paid:
            invoice.close()
        invoice.archive()  # expect: INPUT003
    return invoice
