"""Refuse request input no handler could mean (a NUL character in the query string), and
answer a database busy with another write as a conflict to retry, not a server error.

PostgreSQL text cannot hold NUL, so a filter or search value carrying one would fail deep
in the database driver (a 500) instead of meeting a form or filter error. Every page and
API filter reads the query string, so it is checked once here, before any view runs.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ecosystem.core.errors import busy_conflict, is_busy_database


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


class DatabaseBusyMiddleware:
    """A page whose write lost a race for a lock (SQLite's "database is locked" after its
    busy timeout, a PostgreSQL deadlock) answers 409 with a page asking to try again; the
    write was rolled back with its transaction. The API maps the same errors in
    ``ecosystem.core.api.exception_handler``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_busy_database(exception):
            return None
        error = busy_conflict()
        session = getattr(request, "session", None)
        if session is not None:
            # The answer writes nothing: a session change (the staff idle clock) would
            # meet the same busy database on its way out and turn this into an error.
            session.modified = False
        if request.path.startswith("/api/"):
            return JsonResponse({"code": error.code, "detail": str(error.message)}, status=409)
        response = TemplateResponse(
            request, "core/busy.html", {"message": error.message}, status=409
        )
        return response.render()


class RoleMismatchMiddleware:
    """A page of another role (``gates.NotForYourRole``) answers 404 with the styled page
    naming who the user is signed in as and whom the page is for, in DEBUG too (Django's
    technical 404 would otherwise show). Other 404s go to Django's handler (``404.html``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from ecosystem.core.gates import NotForYourRole

        if not isinstance(exception, NotForYourRole):
            return None
        response = TemplateResponse(
            request, "404.html", {"for_whom": exception.for_whom, "role_mismatch": True}, status=404
        )
        return response.render()
