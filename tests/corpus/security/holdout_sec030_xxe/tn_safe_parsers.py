import xml.etree.ElementTree as ET
from xml.dom import minidom

import defusedxml.ElementTree as DET
from flask import Blueprint, request
from lxml import etree

bp = Blueprint("xml", __name__)
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@bp.route("/import", methods=["POST"])
def import_doc():
    root = DET.fromstring(request.data)
    return {"items": len(root.findall("item"))}


@bp.route("/import/std", methods=["POST"])
def import_std():
    root = ET.fromstring(request.data)
    dom = minidom.parseString(request.data)
    return {"tag": root.tag, "nodes": len(dom.childNodes)}


@bp.route("/import/lxml", methods=["POST"])
def import_lxml():
    root = etree.fromstring(request.data, SAFE_PARSER)
    return {"tag": root.tag}
