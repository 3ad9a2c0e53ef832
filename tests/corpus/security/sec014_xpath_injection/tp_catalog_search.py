from django.http import JsonResponse
from lxml import etree

CATALOG = etree.parse("/srv/catalog.xml")


def search(request):
    author = request.GET.get("author", "")
    books = CATALOG.getroot().xpath(f"//book[author='{author}']/title/text()")  # expect: SEC014
    return JsonResponse({"titles": [str(t) for t in books]})
