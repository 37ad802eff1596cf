"""Who may see and do what along a chain: the chains policy. Rules are ``Q`` over the
user's ``Scope`` (``accounts.scope``); the scoped selectors filter by them and the checks
derive from the same scope, so a check and a list never disagree."""

from __future__ import annotations

from django.db.models import Q

from ecosystem.accounts.scope import EVERYTHING, NOTHING, Scope, scope_of
from ecosystem.chains import workflow
from ecosystem.enterprises.permissions import is_member, is_zone_official_for

__all__ = ["is_member", "is_zone_official_for"]


def leaders_q(scope: Scope) -> Q:
    """Chain leaders an official manages: those of enterprises in their zones."""
    if scope.admin_may("designate_chain_leader"):
        return EVERYTHING
    return Q(enterprise__zone_id__in=scope.zone_ids) if scope.zone_ids else NOTHING


def links_q(scope: Scope) -> Q:
    """Supplier links of the user's enterprises (either side) and of enterprises in an
    official's zones."""
    if scope.admin_may("view_all"):
        return EVERYTHING
    if not scope.is_authenticated:
        return NOTHING
    mine, zones = scope.enterprise_ids, scope.zone_ids
    return (
        Q(supplier_id__in=mine)
        | Q(leader__enterprise_id__in=mine)
        | Q(supplier__zone_id__in=zones)
        | Q(leader__enterprise__zone_id__in=zones)
    )


def coverage_zones_q(scope: Scope) -> Q:
    """Zones whose coverage figures the user sees: the official's zones, the zones a bank's
    branches serve."""
    if scope.admin_may("view_all"):
        return EVERYTHING
    if not (scope.zone_ids or scope.bank_ids):
        return NOTHING
    return Q(pk__in=scope.zone_ids) | Q(branches__bank_id__in=scope.bank_ids)


def ecosystem_zones_q(scope: Scope) -> Q:
    """Zones on the ecosystem page: platform admins all, zone officials theirs."""
    if scope.admin_may("view_all"):
        return EVERYTHING
    return Q(pk__in=scope.zone_ids) if scope.zone_ids else NOTHING


def is_official_or_admin_for(user, enterprise) -> bool:
    scope = scope_of(user)
    return scope.admin_may("place_on_chain") or scope.is_official_of(enterprise.zone_id)


def can_place(user, enterprise) -> bool:
    """The enterprise chooses its nodes; officials of its zone correct them."""
    return is_member(user, enterprise) or is_official_or_admin_for(user, enterprise)


def can_designate(user, enterprise) -> bool:
    """Officials of the enterprise's zone (and platform admins) designate chain leaders."""
    scope = scope_of(user)
    return scope.admin_may("designate_chain_leader") or scope.is_official_of(enterprise.zone_id)


def can_manage_leaders(user) -> bool:
    """The leaders page: zone officials and platform admins."""
    scope = scope_of(user)
    return scope.admin_may("designate_chain_leader") or bool(scope.zone_ids)


def can_view_link(user, link) -> bool:
    from ecosystem.chains.models import SupplierLink

    return SupplierLink.objects.filter(links_q(scope_of(user)), pk=link.pk).exists()


def link_parties(user, link) -> set[str]:
    """The sides of ``link`` the user acts for (a member of both enterprises acts for both)."""
    parties = set()
    if is_member(user, link.supplier):
        parties.add(workflow.SUPPLIER)
    if is_member(user, link.leader.enterprise):
        parties.add(workflow.LEADER)
    return parties
