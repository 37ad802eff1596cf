"""DRF glue shared by every app's API."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ecosystem.core.errors import ApplicationError


def exception_handler(exc, context):
    """Turn domain errors into 400/409 answers with a code and a translated message."""
    if isinstance(exc, ApplicationError):
        return Response(
            {"code": exc.code, "detail": str(exc.message), **exc.extra},
            status=exc.status or status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
