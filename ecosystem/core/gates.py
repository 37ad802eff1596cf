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


class NotForYourRole(Http404):
    """A page of a role the signed-in user does not hold: a 404 (as the matrix and the API
    answer), which ``core.middleware.RoleMismatchMiddleware`` renders as "you are signed in
    as X; this page is for Y". Only for pages gated by role: an object outside the user's
    scope stays a plain ``Http404``, which says nothing about whether it exists."""

    def __init__(self, for_whom=""):
        super().__init__(str(for_whom))
        self.for_whom = for_whom


def page_for(allowed: Callable, for_whom="") -> Callable:
    """A view decorator letting through the signed-in users for whom ``allowed(user)``;
    anyone else is told the page is ``for_whom`` (the roles it serves, translatable)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise NotForYourRole(for_whom)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def export_format(fmt: str) -> str:
    """``fmt`` when it is a format tables export to; otherwise the URL does not exist."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return fmt


__all__ = ["EXPORT_FORMATS", "NotForYourRole", "export_format", "page_for"]
