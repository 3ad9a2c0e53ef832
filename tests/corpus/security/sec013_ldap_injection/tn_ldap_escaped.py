import re

import ldap
from flask import Flask, request
from ldap.filter import escape_filter_chars, filter_format

app = Flask(__name__)
BASE_DN = "ou=people,dc=example,dc=com"
WORD = re.compile(r"\w+")


@app.route("/user")
def find_user():
    uid = escape_filter_chars(request.args.get("uid", ""))
    conn = ldap.initialize("ldap://ldap.example.com")
    return str(conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(uid=" + uid + ")"))


@app.route("/mail")
def mail():
    conn = ldap.initialize("ldap://ldap.example.com")
    flt = filter_format("(mail=%s)", [request.args["mail"]])
    return str(conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, flt))


@app.route("/words")
def words():
    text = request.args.get("text", "")
    return str(WORD.search(text))
