import ldap
from django.http import JsonResponse
from ldap3 import SUBTREE, Connection, Server

SERVER = Server("ldaps://ldap.corp.example.com")
BASE = "dc=corp,dc=example,dc=com"


def members(request):
    group = request.GET.get("group", "")
    conn = Connection(SERVER, auto_bind=True)
    conn.search(search_base=BASE, search_filter="(&(objectClass=groupOfNames)(cn=%s))" % group, search_scope=SUBTREE)  # expect: SEC013
    return JsonResponse({"n": len(conn.entries)})


def by_mail(request):
    mail = request.POST["mail"]
    conn = ldap.initialize("ldaps://ldap.corp.example.com")
    result = conn.search_ext_s(BASE, ldap.SCOPE_SUBTREE, f"(mail={mail})", ["uid"])  # expect: SEC013
    return JsonResponse({"uids": [dn for dn, _ in result]})
