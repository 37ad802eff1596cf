"""What the financing pages share: the bank gates, exports, access logging."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from ecosystem.accounts.roles import BANK_ROLES, Role
from ecosystem.accounts.selectors import held_roles
from ecosystem.enterprises.services import access_log_record

EXPORT_FORMATS = ("csv", "xlsx")


def is_bank_staff(user) -> bool:
    """A relationship manager or manager of some bank (or a platform admin); read from the
    request's memberships, so the gate, the page and the navigation share one query."""
    return bool(user.is_superuser or held_roles(user=user) & BANK_ROLES)


def is_bank_manager(user) -> bool:
    return bool(user.is_superuser or Role.BANK_MANAGER in held_roles(user=user))


def bank_staff_required(view):
    """Signed-in relationship managers and managers; to anyone else the page does not exist."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_bank_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def bank_manager_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_bank_manager(request.user):
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
        "is_manager": is_bank_manager(request.user),
        **extra,
    }
