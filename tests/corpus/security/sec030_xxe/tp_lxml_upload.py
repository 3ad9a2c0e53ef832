"""Invoice import endpoint: parses uploaded XML with lxml."""
import xml.sax
from xml.sax.handler import feature_external_ges

from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)

# Kept from an old DTD-validation feature: expands entities from anywhere.
LEGACY_PARSER = etree.XMLParser(resolve_entities=True, load_dtd=True)  # expect: SEC030


@app.route("/invoices", methods=["POST"])
def import_invoice():
    root = etree.fromstring(request.data)  # expect: SEC030
    return jsonify(number=root.findtext("number"), total=root.findtext("total"))


@app.route("/invoices/legacy", methods=["POST"])
def import_legacy():
    root = etree.fromstring(request.data, LEGACY_PARSER)
    return jsonify(number=root.findtext("number"))


@app.route("/invoices/batch", methods=["POST"])
def import_batch():
    upload = request.files["batch"]
    tree = etree.parse(upload.stream)  # expect: SEC030
    return jsonify(count=len(tree.getroot()))


def fetch_remote_catalog(path):
    parser = etree.XMLParser(no_network=False)  # expect: SEC030
    return etree.parse(path, parser)


class CatalogHandler(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.items = []

    def startElement(self, name, attrs):
        if name == "item":
            self.items.append(attrs.get("sku"))


def read_catalog(stream):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)  # expect: SEC030
    handler = CatalogHandler()
    parser.setContentHandler(handler)
    parser.parse(stream)
    return handler.items


def stream_orders(stream):
    for _, element in etree.iterparse(stream, events=("end",), tag="order"):  # expect: SEC030
        yield element.get("id")
        element.clear()
