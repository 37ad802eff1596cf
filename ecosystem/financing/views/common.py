"""What the financing pages share: the bank gates, exports, access logging."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ecosystem.accounts.roles import Role
from ecosystem.accounts.scope import scope_of
from ecosystem.core.gates import page_for
from ecosystem.enterprises.services import access_log_record_many
from ecosystem.financing.permissions import is_bank_staff


def is_bank_manager(user) -> bool:
    scope = scope_of(user)
    return scope.admin_may("manage_products") or scope.has_role(Role.BANK_MANAGER)


def log_unmasked(request, matches, *, section: str) -> None:
    """Each enterprise shown unmasked to a bank user leaves a trace the enterprise sees
    (one INSERT for the page or the export's chunk, not one per row)."""
    seen = [(m.enterprise_id, m.product.bank_id) for m in matches if getattr(m, "consented", False)]
    access_log_record_many(viewer=request.user, seen=seen, section=section)


def bank_context(request, tab: str, **extra) -> dict:
    return {
        "tab": tab,
        "is_manager": is_bank_manager(request.user),
        **extra,
    }


#: Relationship managers and managers of some bank (and platform admins).
bank_staff_required = page_for(is_bank_staff, gettext_lazy("bank staff"))
bank_manager_required = page_for(is_bank_manager, gettext_lazy("bank managers"))
