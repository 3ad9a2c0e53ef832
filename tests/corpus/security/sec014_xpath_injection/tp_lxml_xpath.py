import xml.etree.ElementTree as ET

from flask import Flask, request
from lxml import etree

app = Flask(__name__)
TREE = etree.parse("users.xml")
ROOT = ET.parse("catalog.xml").getroot()


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    pw = request.form["password"]
    found = TREE.xpath("//user[@name='" + user + "' and @pw='" + pw + "']")  # expect: SEC014
    return "ok" if found else "denied"


@app.route("/book")
def book():
    title = request.args.get("title", "")
    node = ROOT.find(f".//book[@title='{title}']")  # expect: SEC014
    return node.text if node is not None else ""


@app.route("/query")
def query():
    expr = etree.XPath("//item[name='%s']" % request.args["n"])  # expect: SEC014
    return str(expr(TREE))
