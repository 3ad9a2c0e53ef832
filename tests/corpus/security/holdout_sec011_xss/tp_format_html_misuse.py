from django.http import HttpResponse
from django.utils.html import format_html


def order_note(request):
    note = request.GET.get("note", "")
    return HttpResponse(format_html(f"<p class='note'>{note}</p>"))  # expect: SEC011
