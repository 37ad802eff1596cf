"""What the financing pages share: the bank gates, exports, access logging."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from ecosystem.enterprises.services import access_log_record
from ecosystem.financing import selectors

EXPORT_FORMATS = ("csv", "xlsx")


def bank_staff_required(view):
    """Signed-in relationship managers and managers; to anyone else the page does not exist."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.banks_of_staff(user=request.user).exists():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def bank_manager_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.banks_managed_by(user=request.user).exists():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def export_format(fmt: str) -> str:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return fmt


def log_unmasked(request, matches, *, section: str) -> None:
    """Each enterprise shown unmasked to a bank user leaves a trace the enterprise sees."""
    for match in matches:
        if getattr(match, "consented", False):
            access_log_record(
                enterprise=match.enterprise,
                viewer=request.user,
                bank=match.product.bank,
                section=section,
            )


def bank_context(request, tab: str, **extra) -> dict:
    return {
        "tab": tab,
        "is_manager": selectors.banks_managed_by(user=request.user).exists(),
        **extra,
    }
