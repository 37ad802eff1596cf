"""What every zone page shares: the official-only gate, service errors on forms, exports."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from ecosystem.core.errors import ApplicationError
from ecosystem.zones.selectors import zones_of_official

EXPORT_FORMATS = ("csv", "xlsx")


def official_required(view):
    """Signed-in zone officials only; to anyone else signed in the page does not exist."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not zones_of_official(user=request.user).exists():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def export_format(fmt: str) -> str:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return fmt


def form_error(form, exc: ApplicationError, *, field: str | None = None) -> None:
    """Put a service's refusal on the form: on ``field`` if the form has it, else on top."""
    form.add_error(field if field in form.fields else None, exc.message)


def safe_next(request, value: str, default: str) -> str:
    """A local URL to go back to after a POST (the queue with its filters), else ``default``."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default
