"""A service that installs a hardened parser as lxml's default once, at import time."""
from lxml import etree

etree.set_default_parser(etree.XMLParser(resolve_entities=False, no_network=True))


def parse_message(body):
    return etree.fromstring(body)


def parse_file(path):
    return etree.parse(path).getroot()
