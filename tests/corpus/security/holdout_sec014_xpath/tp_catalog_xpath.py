from flask import Blueprint, request
from lxml import etree

catalog = Blueprint("catalog", __name__)
DOC = etree.parse("/srv/data/catalog.xml")


@catalog.route("/books")
def books():
    author = request.args.get("author", "")
    nodes = DOC.xpath(f"//book[author='{author}']/title/text()")  # expect: SEC014
    return {"titles": [str(n) for n in nodes]}


@catalog.route("/price")
def price():
    isbn = request.args["isbn"]
    find = etree.XPath("//book[@isbn='" + isbn + "']/price")  # expect: SEC014
    return {"price": [p.text for p in find(DOC)]}
