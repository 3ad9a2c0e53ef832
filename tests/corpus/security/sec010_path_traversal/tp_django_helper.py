import os

from django.http import FileResponse, HttpResponse

MEDIA_ROOT = "/var/www/media"


def read_media(relative):
    full = os.path.join(MEDIA_ROOT, relative)
    with open(full, "rb") as fh:  # expect: SEC010
        return fh.read()


def media(request):
    return HttpResponse(read_media(request.GET["f"]), content_type="application/octet-stream")


def stream(request):
    return FileResponse(open(os.path.join(MEDIA_ROOT, request.GET.get("f")), "rb"))  # expect: SEC010
