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


#: The largest id any column holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def id_filter(value: str | None, name: str) -> int | None:
    """An id given as a filter in the query string: ``None`` when absent, 0 (matching
    nothing) when it is no number, and a 400 when it is a number no column can hold, which
    the database would refuse (SQLite: an overflow) rather than answer."""
    if not value:
        return None
    if not value.isdigit():
        return 0
    number = int(value)
    if number > MAX_ID:
        raise ApplicationError(
            _("%(name)s is not a valid id.") % {"name": name},
            code="invalid",
            extra={"errors": {name: [_("Too large a number.")]}},
        )
    return number
