"""Reaching one object through a scoped queryset: what a user may not see is the same 404
as what does not exist."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ecosystem.core.errors import ApplicationError

#: Methods that count as viewing data (OPTIONS shows no data).
READ_METHODS = frozenset({"GET", "HEAD"})


def not_found() -> ApplicationError:
    return ApplicationError(_("Not found."), code="not_found", status=404)


def scoped_get(queryset, **lookup):
    """One object of an already scoped queryset; anything else is the same 404."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise not_found() from None
