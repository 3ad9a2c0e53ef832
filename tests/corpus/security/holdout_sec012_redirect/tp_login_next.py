from django.contrib.auth import authenticate, login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.views import View


class LoginView(View):
    def post(self, request):
        user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
        if user is None:
            return redirect("/login?failed=1")
        login(request, user)
        next_url = request.GET.get("next", "/")
        return HttpResponseRedirect(next_url)  # expect: SEC012

