from django.http import JsonResponse
from django.views import View

from shop.models import Product


class ProductSearchView(View):
    def get(self, request):
        category = request.GET.get("category", "")
        order = request.GET.get("order", "price")
        sql = "SELECT * FROM shop_product WHERE category = '%s' ORDER BY %s" % (category, order)
        products = Product.objects.raw(sql)  # expect: SEC002
        return JsonResponse({"ids": [p.id for p in products]})
