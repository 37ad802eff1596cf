"""Who may do what along a chain. Objects are fetched through the scoped selectors first."""

from ecosystem.accounts.roles import Role
from ecosystem.chains import workflow
from ecosystem.enterprises.permissions import is_member, is_zone_official_for


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_official_or_admin_for(user, enterprise) -> bool:
    return _signed_in(user) and (user.is_superuser or is_zone_official_for(user, enterprise))


def can_place(user, enterprise) -> bool:
    """The enterprise chooses its nodes; officials of its zone correct them."""
    return _signed_in(user) and (
        is_member(user, enterprise) or is_official_or_admin_for(user, enterprise)
    )


def can_designate(user, enterprise) -> bool:
    """Officials of the enterprise's zone (and platform admins) designate chain leaders."""
    return is_official_or_admin_for(user, enterprise)


def is_zone_official(user) -> bool:
    return (
        _signed_in(user)
        and user.memberships.filter(is_active=True, role=Role.ZONE_OFFICIAL).exists()
    )


def link_parties(user, link) -> set[str]:
    """The sides of ``link`` the user acts for (a member of both enterprises acts for both)."""
    if not _signed_in(user):
        return set()
    parties = set()
    if is_member(user, link.supplier):
        parties.add(workflow.SUPPLIER)
    if is_member(user, link.leader.enterprise):
        parties.add(workflow.LEADER)
    return parties
