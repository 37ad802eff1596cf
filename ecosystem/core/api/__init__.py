"""DRF glue shared by every app's API."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ecosystem.core.errors import ApplicationError, busy_conflict, is_busy_database


def exception_handler(exc, context):
    """Turn domain errors into 400/409 answers with a code and a translated message; two
    writes racing for a lock (SQLite "database is locked", a PostgreSQL deadlock) are a 409
    the client may retry, not a 500."""
    if is_busy_database(exc):
        exc = busy_conflict()
    if isinstance(exc, ApplicationError):
        return Response(
            {"code": exc.code, "detail": str(exc.message), **exc.extra},
            status=exc.status or status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and isinstance(response.data, dict)
        and set(response.data) == {"detail"}
    ):
        # DRF's own refusals (401, 403, 404, 405, 429…) carry the same ``code`` as ours.
        codes = exc.get_codes() if hasattr(exc, "get_codes") else None
        response.data = {"code": codes if isinstance(codes, str) else "error", **response.data}
    return response
