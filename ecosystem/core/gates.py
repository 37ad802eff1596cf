"""Who may open a page: one decorator for every role gate, and the export formats.

A gate sends anonymous visitors to sign in; to anyone else signed in who fails it, the
page does not exist (404, not 403: the answer must not tell what exists).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

EXPORT_FORMATS = ("csv", "xlsx")


def page_for(allowed: Callable) -> Callable:
    """A view decorator letting through the signed-in users for whom ``allowed(user)``."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def export_format(fmt: str) -> str:
    """``fmt`` when it is a format tables export to; otherwise the URL does not exist."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return fmt


__all__ = ["EXPORT_FORMATS", "export_format", "page_for"]
