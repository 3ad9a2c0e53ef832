from django.http import JsonResponse
from lxml import etree

CATALOG = etree.parse("/srv/catalog.xml")
BY_AUTHOR = etree.XPath("//book[author=$author]/title/text()")


def search(request):
    titles = BY_AUTHOR(CATALOG, author=request.GET.get("author", ""))
    return JsonResponse({"titles": [str(t) for t in titles]})


def count(request):
    return JsonResponse({"n": int(CATALOG.xpath("count(//book)"))})
