from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

api = FastAPI()


class ProfileView(TemplateView):
    template_name = "profile.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["bio"] = mark_safe(self.request.GET.get("bio", ""))  # expect: SEC011
        return ctx


def unsubscribe(request):
    email = request.POST["email"]
    return HttpResponse(f"<p>{email} has been unsubscribed.</p>")  # expect: SEC011


@api.get("/hello", response_class=HTMLResponse)
def hello(name: str):
    return HTMLResponse(content="<html><body>Hello " + name + "</body></html>")  # expect: SEC011
