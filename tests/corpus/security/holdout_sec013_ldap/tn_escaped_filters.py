import ldap
from flask import Blueprint, request
from ldap.filter import escape_filter_chars, filter_format
from ldap3.utils.conv import escape_filter_chars as ldap3_escape

bp = Blueprint("ldap_safe", __name__)
BASE_DN = "ou=people,dc=example,dc=com"


@bp.route("/user")
def user():
    uid = escape_filter_chars(request.args.get("uid", ""))
    conn = ldap.initialize("ldaps://ldap.example.com")
    return str(conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(uid=%s)" % uid))


@bp.route("/mail")
def mail():
    conn = ldap.initialize("ldaps://ldap.example.com")
    flt = filter_format("(mail=%s)", [request.args.get("mail", "")])
    return str(conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, flt))


def find_by_cn(conn, cn):
    conn.search(BASE_DN, "(cn=%s)" % ldap3_escape(cn), attributes=["mail"])
    return conn.entries


def admins(conn):
    return conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(memberOf=cn=admins,ou=groups,dc=example,dc=com)")
