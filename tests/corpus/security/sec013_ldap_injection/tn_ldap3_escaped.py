from django.http import JsonResponse
from ldap3 import SUBTREE, Connection, Server
from ldap3.utils.conv import escape_filter_chars

SERVER = Server("ldaps://ldap.corp.example.com")
BASE = "dc=corp,dc=example,dc=com"


def members(request):
    group = escape_filter_chars(request.GET.get("group", ""))
    conn = Connection(SERVER, auto_bind=True)
    conn.search(search_base=BASE, search_filter=f"(&(objectClass=groupOfNames)(cn={group}))", search_scope=SUBTREE)
    return JsonResponse({"n": len(conn.entries)})


def everyone(request):
    conn = Connection(SERVER, auto_bind=True)
    conn.search(BASE, "(objectClass=person)", attributes=["cn", request.GET.get("attr", "mail")])
    return JsonResponse({"n": len(conn.entries)})
