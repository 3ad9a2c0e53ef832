from django.db import connection
from django.views import View
from django.http import JsonResponse

from .models import Product


class ProductSearch(View):
    def get(self, request):
        term = request.GET.get("q", "")
        qs = Product.objects.extra(where=["name LIKE '%%%s%%'" % term])  # expect: SEC002
        return JsonResponse({"ids": list(qs.values_list("id", flat=True))})


class Stats(View):
    def get(self, request):
        clauses = ["1 = 1"]
        region = self.request.GET.get("region")
        if region:
            clauses.append("region = '" + region + "'")
        sql = "SELECT count(*) FROM sales WHERE " + " AND ".join(clauses)
        with connection.cursor() as cursor:
            cursor.execute(sql)  # expect: SEC002
            return JsonResponse({"count": cursor.fetchone()[0]})


def orders_by_user(request):
    user_id = request.user.id
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM orders WHERE user_id = %d" % user_id)
        return JsonResponse({"rows": cursor.fetchall()})
