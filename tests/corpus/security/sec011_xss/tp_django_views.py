from django.http import HttpResponse
from django.utils.safestring import mark_safe


def search(request):
    q = request.GET.get("q", "")
    return HttpResponse("<h2>Results for " + q + "</h2>")  # expect: SEC011


def comment(request):
    text = request.POST["text"]
    return {"comment": mark_safe(text)}  # expect: SEC011
