"""The portal's URLs plus the floor views (``bench/feed_floors.py``, bench only).

Each floor view answers the same fixed JSON: a page of the leads feed captured from the
real API (the file named by ``FLOOR_PAGE_JSON``), read once per process.

- ``plain``: a Django view returning the page's bytes (the middleware and gunicorn);
- ``drf``: a DRF view, no authentication, rendering the page (plus DRF and its JSON);
- ``token``: the same view with the API's own authentication and permissions (plus the
  token's look-up, the scope, the second-factor check): what the leads API costs before
  its queries and rows. Its URL name starts like the lead feed's, so an integration
  token may reach it (``TokenScope``);
- ``sql``: the ``token`` view that also runs the list's own statements, captured from one
  real request (the file named by ``FLOOR_PAGE_SQL``: the page's rows, the access-log
  insert and its commit, the offers), each fetched: what the leads API costs with its
  database work but without building its querysets or its rows.
"""

import json
import os
import pickle
from functools import cache

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.urls import urlpatterns as portal_urlpatterns


@cache
def page() -> tuple[bytes, object]:
    with open(os.environ["FLOOR_PAGE_JSON"], "rb") as f:
        raw = f.read()
    return raw, json.loads(raw)


def plain(request):
    return HttpResponse(page()[0], content_type="application/json")


class Drf(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)

    def get(self, request):
        return Response(page()[1])


class Token(APIView):
    """The API's default authentication and permission classes."""

    def get(self, request):
        return Response(page()[1])


@cache
def statements() -> list[tuple[str, list]]:
    with open(os.environ["FLOOR_PAGE_SQL"], "rb") as f:
        return pickle.load(f)  # noqa: S301 - written by bench/feed_floors.py, this run


class Sql(Token):
    """``Token`` plus the list's statements, as the real view runs them (autocommit: the
    access-log insert commits on its own)."""

    def get(self, request):
        with connection.cursor() as cursor:
            for sql, params in statements():
                cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
        return Response(page()[1])


urlpatterns = [
    path("bench-floor/plain/", plain, name="bench-floor-plain"),
    path("bench-floor/drf/", Drf.as_view(), name="bench-floor-drf"),
    path("bench-floor/token/", Token.as_view(), name="api-financing-lead-bench-floor"),
    path("bench-floor/sql/", Sql.as_view(), name="api-financing-lead-bench-floor-sql"),
    *portal_urlpatterns,
]
