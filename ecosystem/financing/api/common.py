"""Helpers shared by the financing API views."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ecosystem.core.api.access import not_found, scoped_get
from ecosystem.core.api.errors import READ_ERRORS, WRITE_ERRORS, valid_data
from ecosystem.core.errors import ApplicationError

__all__ = ["READ_ERRORS", "WRITE_ERRORS", "forbidden", "not_found", "scoped_get", "valid_data"]


def forbidden(message) -> ApplicationError:
    return ApplicationError(message, code="forbidden", status=403)


READ_ONLY = _("You may view this but not change it.")
