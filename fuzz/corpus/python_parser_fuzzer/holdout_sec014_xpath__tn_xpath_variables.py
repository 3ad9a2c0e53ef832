from flask import Blueprint, request
from lxml import etree

bp = Blueprint("catalog_safe", __name__)
DOC = etree.parse("/srv/data/catalog.xml")
BY_AUTHOR = etree.XPath("//book[author=$name]/title/text()")


@bp.route("/books")
def books():
    nodes = DOC.xpath("//book[author=$a]/title/text()", a=request.args.get("author", ""))
    return {"titles": [str(n) for n in nodes]}


@bp.route("/books/by")
def books_by():
    return {"titles": [str(n) for n in BY_AUTHOR(DOC, name=request.args.get("author", ""))]}


def all_isbns():
    return DOC.xpath("//book/@isbn")
