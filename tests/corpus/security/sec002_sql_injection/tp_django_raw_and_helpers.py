from django.db import connection
from django.http import JsonResponse

from .models import Article


def by_tag(tag):
    return f"SELECT * FROM blog_article WHERE tag = '{tag}'"


def articles(request):
    tag = request.GET.get("tag")
    rows = Article.objects.raw(by_tag(tag))  # expect: SEC002
    return JsonResponse({"ids": [r.id for r in rows]})


def run_report(cursor, where_clause):
    cursor.execute("SELECT count(*) FROM events WHERE " + where_clause)  # expect: SEC002
    return cursor.fetchone()


def report(request):
    with connection.cursor() as cursor:
        return JsonResponse({"n": run_report(cursor, request.POST["where"])})


def delete_user(cursor, user_id):
    cursor.executemany(f"DELETE FROM sessions WHERE user_id = {user_id}", [()])  # expect: SEC002
