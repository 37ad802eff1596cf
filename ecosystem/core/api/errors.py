"""The error shape of the API: a stable ``code``, a translated ``detail`` and, for invalid
input, ``errors`` per field (the same shape the services raise)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from ecosystem.core.errors import ApplicationError


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    # Field errors as DRF gives them: a list of messages, or for list and nested fields a
    # mapping by index or sub-field.
    errors = serializers.DictField(child=serializers.JSONField(), required=False)


def _first_message(errors) -> str:
    if isinstance(errors, dict):
        errors = list(errors.values())
    if isinstance(errors, list):
        for item in errors:
            message = _first_message(item)
            if message:
                return message
        return ""
    return str(errors)


def valid_data(serializer) -> dict:
    """Validated input, or a 400 in the same shape as the services' errors."""
    if serializer.is_valid():
        return serializer.validated_data
    errors = serializer.errors
    raise ApplicationError(
        _first_message(errors) or _("Invalid input."), code="invalid", extra={"errors": errors}
    )


_ERROR = OpenApiResponse(ErrorSerializer)
#: Error answers of an endpoint that changes something, for the schema.
WRITE_ERRORS = {400: _ERROR, 403: _ERROR, 404: _ERROR, 409: _ERROR}
READ_ERRORS = {403: _ERROR, 404: _ERROR}
