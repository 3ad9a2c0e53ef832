import xml.etree.ElementTree as ET

from flask import Flask, request
from lxml import etree

app = Flask(__name__)
TREE = etree.parse("users.xml")
ROOT = ET.parse("catalog.xml").getroot()


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    found = TREE.xpath("//user[@name=$name]", name=user)
    return "ok" if found else "denied"


@app.route("/titles")
def titles():
    text = request.args.get("q", "")
    position = text.find(":")
    return [b.get("title") for b in ROOT.findall(".//book")][: max(position, 0)]
