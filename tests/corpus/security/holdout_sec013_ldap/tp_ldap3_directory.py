from flask import Blueprint, jsonify, request
from ldap3 import ALL_ATTRIBUTES, SUBTREE, Connection, Server

directory = Blueprint("directory", __name__)
SERVER = Server("ldaps://ldap.corp.example.com")
BASE_DN = "ou=people,dc=corp,dc=example,dc=com"


@directory.route("/people")
def people():
    term = request.args.get("q", "")
    conn = Connection(SERVER, auto_bind=True)
    conn.search(BASE_DN, f"(|(cn=*{term}*)(mail=*{term}*))", search_scope=SUBTREE, attributes=ALL_ATTRIBUTES)  # expect: SEC013
    return jsonify([e.entry_to_json() for e in conn.entries])


@directory.route("/groups")
def groups():
    member = request.args["member"]
    conn = Connection(SERVER, auto_bind=True)
    search_filter = "(&(objectClass=groupOfNames)(member=uid=" + member + "," + BASE_DN + "))"
    conn.search("ou=groups,dc=corp,dc=example,dc=com", search_filter, attributes=["cn"])  # expect: SEC013
    return jsonify([str(e.cn) for e in conn.entries])
