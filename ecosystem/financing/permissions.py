"""Who may see and do what with a bank's products, campaigns, matches and leads: the
financing policy.

Each rule is written once as a ``Q`` over the model, built from the user's ``Scope``
(``accounts.scope``). The scoped querysets in the selectors filter by these rules and the
``can_*`` checks derive from them, so a check and a list never disagree
(``tests/unit/test_policy_agreement.py``). What a bank sees of a matched enterprise without
its consent (nothing identifying) is decided by the selectors' masking.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from ecosystem.accounts.scope import EVERYTHING, NOTHING, Scope, scope_of
from ecosystem.enterprises.permissions import is_member, rm_reach
from ecosystem.enterprises.routing import routed_zones


def _ids(field: str, ids) -> Q:
    return Q(**{f"{field}__in": ids}) if ids else NOTHING


def managed_banks_q(scope: Scope, *, field: str = "pk") -> Q:
    """Banks whose products and campaigns the user manages (a platform admin: every bank)."""
    if scope.admin_may("manage_products"):
        return EVERYTHING
    return _ids(field, scope.managed_bank_ids)


def staff_banks_q(scope: Scope, *, field: str = "pk") -> Q:
    """Banks the user works for, as relationship manager or manager."""
    if scope.admin_may("view_all"):
        return EVERYTHING
    return _ids(field, scope.bank_ids)


def products_q(scope: Scope) -> Q:
    return staff_banks_q(scope, field="bank_id")


def managed_products_q(scope: Scope) -> Q:
    return managed_banks_q(scope, field="bank_id")


def campaigns_q(scope: Scope) -> Q:
    return managed_banks_q(scope, field="bank_id")


def whole_banks_q(scope: Scope, *, field: str = "pk") -> Q:
    """Banks whose every match the user sees: those they manage (a platform admin: every
    bank). A relationship manager sees only their branches' part (``routed_matches_q``)."""
    if scope.admin_may("view_all"):
        return EVERYTHING
    return _ids(field, scope.managed_bank_ids)


def _products_of(bank_ids) -> dict[int, list[int]]:
    """{bank id: its products' ids}, one query: the matches' rules name a bank's products
    rather than join to them, so the planner estimates a bank's matches from each
    product's statistics (nationally 7,268, not the average bank's 51,277)."""
    from ecosystem.financing.models import Product

    products: dict[int, list[int]] = {bank_id: [] for bank_id in bank_ids}
    for bank_id, pk in (
        Product.objects.filter(bank_id__in=sorted(bank_ids))
        .order_by("pk")
        .values_list("bank_id", "pk")
    ):
        products[bank_id].append(pk)
    return products


def whole_bank_matches_q(scope: Scope) -> Q:
    """The matches of the banks the user sees whole (``whole_banks_q``). The banks are
    named twice, by id and by their products' ids: the planner then takes a bank's
    matches for few (7,268 of 1.5 M nationally) and sorts them, where through the join
    alone it took "the products of bank 1" for 51,277 and walked the API list's order
    (``match_computed_order``) past half a million others for them (68 against 47 ms)."""
    if scope.admin_may("view_all"):
        return EVERYTHING
    if not scope.managed_bank_ids:
        return NOTHING
    products = [pk for ids in _products_of(scope.managed_bank_ids).values() for pk in ids]
    return whole_banks_q(scope, field="product__bank_id") & _ids("product_id", products)


#: A relationship manager's reach in one bank: (its products' ids, the zones whose
#: enterprises' leads route to their branches there).
Reach = tuple[list[int], list[int]]


def routed_reach(scope: Scope) -> dict[int, Reach]:
    """{bank id: (product ids, routed zone ids)} of each bank the user works for as a
    relationship manager but does not manage (``rm_reach``): the zones
    ``routing.routed_zones`` names (the branch serving the enterprise's zone, else the
    head office). Banks without products or routed zones are left out."""
    if scope.admin_may("view_all"):
        return {}
    reach = rm_reach(scope)
    if not reach:
        return {}
    zones, products = routed_zones(reach), _products_of(reach)
    return {
        bank_id: (products[bank_id], zones[bank_id])
        for bank_id in sorted(reach)
        if products[bank_id] and zones[bank_id]
    }


def reach_q(reach: dict[int, Reach]) -> Q:
    """The matches of ``reach`` (``routed_reach``, or a part of it): per bank, its
    products' matches whose enterprise is in a routed zone."""
    parts = [
        Q(product_id__in=products, enterprise__zone_id__in=zones)
        for products, zones in reach.values()
    ]
    return reduce(or_, parts) if parts else NOTHING


def routed_matches_q(scope: Scope) -> Q:
    """The relationship manager's part of ``bank_matches_q``: in each bank they work for
    but do not manage, the matches of the enterprises whose leads would route to one of
    their branches there (``routed_reach``)."""
    return reach_q(routed_reach(scope))


def bank_matches_q(scope: Scope) -> Q:
    """The bank side of the matches: a manager's banks whole, and where the user is only a
    relationship manager, the matches that would route to their branches; a platform
    admin, every match."""
    return whole_bank_matches_q(scope) | routed_matches_q(scope)


def matches_q(scope: Scope) -> Q:
    """Matches of the user's enterprises, and the bank side (``bank_matches_q``)."""
    if not scope.is_authenticated:
        return NOTHING
    return _ids("enterprise_id", scope.enterprise_ids) | bank_matches_q(scope)


def bank_leads_q(scope: Scope) -> Q:
    """The bank side of a lead: a relationship manager sees the leads of their branches, a
    manager those of their banks, a platform admin all."""
    if scope.admin_may("view_leads"):
        return EVERYTHING
    return _ids("bank_id", scope.managed_bank_ids) | _ids("branch_id", scope.branch_ids)


def bank_leads_of_bank_q(scope: Scope, bank_id: int) -> Q:
    """``bank_leads_q`` within one bank: a platform admin's and the bank's manager's, all its
    leads; a relationship manager's, those of their branches there; anyone else's, none."""
    if scope.admin_may("view_leads"):
        return Q(bank_id__in=[bank_id])
    return bank_leads_q(scope.narrowed_to_bank(bank_id))


def leads_q(scope: Scope) -> Q:
    """Leads the user may see: the bank side, and the leads of the user's enterprises."""
    if not scope.is_authenticated:
        return NOTHING
    return bank_leads_q(scope) | _ids("enterprise_id", scope.enterprise_ids)


def invitations_q(scope: Scope) -> Q:
    """Campaign invitations of the enterprises the user belongs to."""
    return _ids("enterprise_id", scope.enterprise_ids)


# --- checks -----------------------------------------------------------------------------


def is_bank_staff(user) -> bool:
    """A relationship manager or manager of some bank (or a platform admin); read from the
    request's memberships, so the gate, the page and the navigation share one query."""
    from ecosystem.accounts.roles import BANK_ROLES

    scope = scope_of(user)
    return scope.admin_may("view_leads") or scope.has_role(*BANK_ROLES)


def is_bank_manager(user, bank) -> bool:
    """Managers of ``bank`` (and platform admins) define products and run campaigns."""
    from ecosystem.financing.models import Bank

    return Bank.objects.filter(managed_banks_q(scope_of(user)), pk=bank.pk).exists()


def can_manage_products(user, bank) -> bool:
    return is_bank_manager(user, bank)


def can_run_campaigns(user, bank) -> bool:
    return is_bank_manager(user, bank)


def can_view_lead(user, lead) -> bool:
    from ecosystem.financing.models import Lead

    return Lead.objects.filter(leads_q(scope_of(user)), pk=lead.pk).exists()


def can_work_lead(user, lead) -> bool:
    """The bank side of a lead: its branch's relationship managers, its bank's managers."""
    from ecosystem.financing.models import Lead

    return Lead.objects.filter(bank_leads_q(scope_of(user)), pk=lead.pk).exists()


def can_view_match(user, match) -> bool:
    from ecosystem.financing.models import Match

    return Match.objects.filter(matches_q(scope_of(user)), pk=match.pk).exists()


def can_answer_for(user, enterprise) -> bool:
    """Members apply for products and answer invitations on behalf of their enterprise."""
    return is_member(user, enterprise)


def is_rm_of_branch(user, branch_id) -> bool:
    return scope_of(user).is_rm_of_branch(branch_id)
