"""Refuse request input no handler could mean: a NUL character in the query string.

PostgreSQL text cannot hold NUL, so a filter or search value carrying one would fail deep
in the database driver (a 500) instead of meeting a form or filter error. Every page and
API filter reads the query string, so it is checked once here, before any view runs.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def has_nul(querydict) -> bool:
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in querydict.lists()
    )


class HostileInputMiddleware:
    """A 400 for a query string with a NUL character (JSON in the API's error shape)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or has_nul(request.GET):
            message = _("The request contains a character that is not allowed (NUL).")
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
