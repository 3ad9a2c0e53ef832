import requests
from django.http import JsonResponse


def relay(request):
    method = request.GET.get("method", "GET")
    target = request.GET["target"]
    resp = requests.request(method, target, timeout=5)  # expect: SEC015
    return JsonResponse({"status": resp.status_code})
