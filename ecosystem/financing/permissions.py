"""Who may do what with a bank's products and campaigns, and who answers for an
enterprise. Reads go through the scoped querysets in ``selectors.py`` (which also decide
what a bank sees of a matched enterprise: nothing identifying without its consent)."""

from __future__ import annotations

from ecosystem.accounts.roles import Role


def _memberships(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return user.memberships.filter(is_active=True)


def is_bank_manager(user, bank) -> bool:
    """Managers of ``bank`` (and platform admins) define products and run campaigns."""
    memberships = _memberships(user)
    if memberships is None:
        return False
    return user.is_superuser or memberships.filter(role=Role.BANK_MANAGER, bank=bank).exists()


def can_manage_products(user, bank) -> bool:
    return is_bank_manager(user, bank)


def can_run_campaigns(user, bank) -> bool:
    return is_bank_manager(user, bank)


def can_answer_for(user, enterprise) -> bool:
    """Members apply for products and answer invitations on behalf of their enterprise."""
    from ecosystem.enterprises.permissions import is_member

    return is_member(user, enterprise)
