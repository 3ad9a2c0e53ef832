import xml.etree.ElementTree as ET

from flask import Blueprint, request

users = Blueprint("users", __name__)
ROOT = ET.parse("/srv/data/users.xml").getroot()


@users.route("/users/lookup")
def lookup():
    name = request.args.get("name", "")
    node = ROOT.find(f".//user[@name='{name}']")  # expect: SEC014
    return {"email": node.findtext("email") if node is not None else None}
