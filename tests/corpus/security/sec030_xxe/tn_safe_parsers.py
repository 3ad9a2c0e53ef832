"""XML handled safely: defusedxml, lxml without entity resolution, and the standard library,
which has expanded no external entities since Python 3.7.1."""
import xml.etree.ElementTree as ET
from xml.dom import minidom

import defusedxml.ElementTree as SafeET
from defusedxml import minidom as safe_minidom
from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)

SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@app.route("/feeds", methods=["POST"])
def import_feed():
    root = SafeET.fromstring(request.data)
    return jsonify(title=root.findtext("title"))


@app.route("/feeds/dom", methods=["POST"])
def import_feed_dom():
    document = safe_minidom.parseString(request.data)
    return jsonify(items=len(document.getElementsByTagName("item")))


@app.route("/feeds/lxml", methods=["POST"])
def import_feed_lxml():
    root = etree.fromstring(request.data, SAFE_PARSER)
    inline = etree.fromstring(request.data, parser=etree.XMLParser(resolve_entities=False))
    return jsonify(title=root.findtext("title"), same=inline.findtext("title"))


@app.route("/feeds/stdlib", methods=["POST"])
def import_feed_stdlib():
    # xml.etree uses expat without external entity expansion.
    root = ET.fromstring(request.data)
    document = minidom.parseString(request.data)
    return jsonify(title=root.findtext("title"), nodes=len(document.childNodes))


def default_config():
    return etree.fromstring("<config><retries>3</retries></config>")


def stream_rows(stream):
    for _, row in etree.iterparse(stream, tag="row", resolve_entities=False):
        yield row.attrib
        row.clear()


def render(root):
    return etree.tostring(root, pretty_print=True)


def page_title(html):
    # lxml.html's HTML parser does not load external entities.
    import lxml.html

    return lxml.html.fromstring(html).findtext(".//title")
