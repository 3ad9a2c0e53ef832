import ldap
from flask import Flask, request
from ldap3 import Connection, Server

app = Flask(__name__)
BASE_DN = "ou=people,dc=example,dc=com"


@app.route("/user")
def find_user():
    uid = request.args.get("uid", "")
    conn = ldap.initialize("ldap://ldap.example.com")
    return str(conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(uid=" + uid + ")"))  # expect: SEC013


@app.route("/group")
def group():
    name = request.args["name"]
    conn = Connection(Server("ldap.example.com"), auto_bind=True)
    query = f"(&(objectClass=group)(cn={name}))"
    conn.search(BASE_DN, query, attributes=["member"])  # expect: SEC013
    return str(conn.entries)
