import xml.sax

from lxml import etree

INVOICE_PARSER = etree.XMLParser(load_dtd=True, no_network=False)  # expect: SEC030


def parse_invoice(data: bytes):
    root = etree.fromstring(data, INVOICE_PARSER)
    return {"number": root.findtext("number"), "total": root.findtext("total")}


class InvoiceHandler(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.totals = []


def sax_totals(stream):
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)  # expect: SEC030
    handler = InvoiceHandler()
    parser.setContentHandler(handler)
    parser.parse(stream)
    return handler.totals
