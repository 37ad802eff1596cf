"""Who may see and do what with an enterprise's record: the enterprises policy.

Each rule is written once, as a ``Q`` over the model built from the user's ``Scope``
(``accounts.scope``); the scoped querysets in ``selectors.py`` filter by it and the
``can_*`` checks below derive from it, so a check and a list never disagree
(``tests/unit/test_policy_agreement.py``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.lookups import IsNull

from ecosystem.accounts.scope import EVERYTHING, NOTHING, Scope, scope_of
from ecosystem.enterprises.routing import routed_beyond_served
from ecosystem.enterprises.workflow import ClaimStatus


def consented_q(scope: Scope, *, field: str = "pk") -> Q:
    """Enterprises that gave one of the user's banks an active consent.

    A correlated ``EXISTS`` on the row's enterprise, not ``pk IN (every consent of the
    bank)``: inside the OR of ``enterprises_q`` the latter was a subplan that read all of
    the bank's active consents on every request, so a page grew with the consent table.
    The correlated form is probed row by row on the active consents' index
    (enterprise, bank, purpose) when few rows are looked at (a detail page, a page of a
    list), and PostgreSQL still may hash it for a whole-table scan, where reading the
    bank's consents once is the cheaper plan (docs/performance.md, "Consent check")."""
    from ecosystem.enterprises.models import Consent

    if not scope.bank_ids:
        return NOTHING
    return Q(
        Exists(
            Consent.objects.filter(
                enterprise_id=OuterRef(field),
                bank_id__in=scope.bank_ids,
                revoked_at__isnull=True,
            )
        )
    )


def rm_reach(scope: Scope) -> dict[int, set[int]]:
    """{bank id: its branches} where the user is a relationship manager and not the bank's
    manager (a manager sees every firm that consented to the bank)."""
    by_bank: dict[int, set[int]] = {}
    for bank_id, branch_id in scope.rm_branches:
        if bank_id not in scope.managed_bank_ids:
            by_bank.setdefault(bank_id, set()).add(branch_id)
    return by_bank


def rm_routed_zones(scope: Scope) -> dict[int, list[int]]:
    """{bank id: the zones beyond those their branches serve whose firms' leads route to
    them} of ``rm_reach``: for an RM of a head office, the zones no branch of the bank
    serves (``routing.routed_beyond_served``); for any other branch, nothing, read without
    a query. The zones routed to an RM's branches are those of their match list
    (``financing.permissions.routed_matches_q``)."""
    return routed_beyond_served(rm_reach(scope), head_offices=scope.rm_head_offices)


def branch_only_reach(scope: Scope) -> tuple[int, frozenset[int]] | None:
    """``(bank id, branch ids)`` when everything the user sees of ``enterprises_q`` is one
    bank's branch rule (``bank_sees_q``): a relationship manager of one bank who is
    nobody's member, official, manager or admin. ``None`` otherwise."""
    if not scope.is_authenticated or scope.admin_may("view_all"):
        return None
    if scope.enterprise_ids or scope.zone_ids or scope.managed_bank_ids:
        return None
    by_bank = rm_reach(scope)
    if len(by_bank) != 1:
        return None
    ((bank_id, branch_ids),) = by_bank.items()
    return bank_id, frozenset(branch_ids)


def bank_sees_q(scope: Scope, *, field: str = "pk") -> Q:
    """Enterprises a bank user sees in full (record, verified claims, evidence): a bank
    manager those that gave the bank an active consent; a relationship manager only those
    of them that are their branch's firms: with a lead in the branch, or in a zone the
    branch serves (issue #20) or whose leads route to it (a head office's zones no branch
    serves, ``rm_routed_zones``: the firms of the RM's match list). The lead side of the
    same rule is ``financing.leads_q``."""
    from ecosystem.enterprises.models import Consent, Enterprise
    from ecosystem.zones.models import Zone

    rule = NOTHING
    if scope.managed_bank_ids:
        consented = Consent.objects.filter(
            bank_id__in=scope.managed_bank_ids, revoked_at__isnull=True
        ).values("enterprise_id")
        rule |= Q(**{f"{field}__in": consented})
    by_bank, routed = rm_reach(scope), rm_routed_zones(scope)
    # The branch's firms as a UNION of two id sets (with a lead there, in a zone it serves),
    # not an OR over one subquery joining every enterprise to its leads and its zone's
    # branches, which read the whole enterprise table for each count: 2 s at national
    # size (docs/slow-pages.md). A head office's routed zones are a third set, named by
    # id, and only when there are any: every other branch's query is unchanged.
    for bank_id, branch_ids in sorted(by_bank.items()):
        with_lead = Enterprise.objects.filter(leads__branch_id__in=branch_ids).values("pk")
        served = Zone.objects.filter(branches__in=branch_ids).values("pk")
        in_zone = Enterprise.objects.filter(zone_id__in=served).values("pk")
        parts = [in_zone.order_by()]
        if routed.get(bank_id):
            in_routed = Enterprise.objects.filter(zone_id__in=routed[bank_id]).values("pk")
            parts.append(in_routed.order_by())
        of_branch = with_lead.order_by().union(*parts)
        rule |= Q(**{f"{field}__in": of_branch}) & consent_probe(bank_id, field=field)
    return rule


def consent_probe(bank_id: int, *, field: str = "pk") -> Q:
    """The row's enterprise (``field``) holds an active consent to the bank, probed row by
    row on the active consents' index: a scalar subquery PostgreSQL cannot turn into a
    join, so it does not hash every active consent of the bank (300,000 nationally; the
    planner prefers the hash to as many index probes as a branch has firms). Reading
    ``enterprise_id`` only, the probe is answered by the active consents' unique index
    (enterprise, bank, purpose) alone."""
    from ecosystem.enterprises.models import Consent

    consented = Consent.objects.filter(
        enterprise_id=OuterRef(field), bank_id=bank_id, revoked_at__isnull=True
    ).order_by()
    return Q(IsNull(Subquery(consented.values("enterprise_id")[:1]), False))


def enterprises_q(scope: Scope) -> Q:
    """Enterprises a user may see: members, officials of the zone, banks holding an active
    consent (a relationship manager: their branch's firms, ``bank_sees_q``); platform
    admins see all."""
    if not scope.is_authenticated:
        return NOTHING
    if scope.admin_may("view_all"):
        return EVERYTHING
    return Q(pk__in=scope.enterprise_ids) | Q(zone_id__in=scope.zone_ids) | bank_sees_q(scope)


def sees_whole_zones(scope: Scope, zone_ids) -> bool:
    """Whether the user sees every enterprise of ``zone_ids`` (``enterprises_q``: platform
    admins all, officials those of their zones), so a count of the zones' enterprises
    is a count of what they see."""
    if not scope.is_authenticated:
        return False
    return scope.admin_may("view_all") or set(zone_ids) <= set(scope.zone_ids)


def member_enterprises_q(scope: Scope) -> Q:
    """Enterprises the user belongs to (owner or member), which they may edit."""
    return Q(pk__in=scope.enterprise_ids)


def owned_enterprises_q(scope: Scope) -> Q:
    return Q(pk__in=scope.owner_enterprise_ids)


def claims_q(scope: Scope) -> Q:
    """Members and zone officials see every claim of their enterprises; a bank with consent
    only verified ones (the consent text covers "verified qualifications"), a relationship
    manager only those of their branch's firms (``bank_sees_q``)."""
    if not scope.is_authenticated:
        return NOTHING
    if scope.admin_may("view_all"):
        return EVERYTHING
    return (
        Q(enterprise_id__in=scope.enterprise_ids)
        | Q(enterprise__zone_id__in=scope.zone_ids)
        | (bank_sees_q(scope, field="enterprise_id") & Q(status=ClaimStatus.VERIFIED))
    )


def review_q(scope: Scope, *, field: str = "enterprise__zone_id") -> Q:
    """What a zone official reviews: the claims and figures of enterprises in their zones.
    Platform admins oversee but do not decide (``accounts.scope.PLATFORM_ADMIN_MAY``)."""
    return Q(**{f"{field}__in": scope.zone_ids}) if scope.zone_ids else NOTHING


# --- checks -----------------------------------------------------------------------------


def is_member(user, enterprise) -> bool:
    return scope_of(user).is_member_of(enterprise.pk)


def is_owner(user, enterprise) -> bool:
    return scope_of(user).is_owner_of(enterprise.pk)


def can_view(user, enterprise) -> bool:
    from ecosystem.enterprises.models import Enterprise

    return Enterprise.objects.filter(enterprises_q(scope_of(user)), pk=enterprise.pk).exists()


def can_edit(user, enterprise) -> bool:
    """Members (owners included) keep the profile, figures, claims and consents."""
    return is_member(user, enterprise)


def can_manage_members(user, enterprise) -> bool:
    return is_owner(user, enterprise)


def can_view_claim(user, claim) -> bool:
    from ecosystem.enterprises.models import QualificationClaim

    return QualificationClaim.objects.filter(claims_q(scope_of(user)), pk=claim.pk).exists()


def is_zone_official_for(user, enterprise) -> bool:
    """The user reviews ``enterprise``'s claims and figures (an official of its zone)."""
    return scope_of(user).is_official_of(enterprise.zone_id)


def can_decide_claim(user, claim) -> bool:
    return is_zone_official_for(user, claim.enterprise)


def bank_viewing(user, enterprise):
    """The bank through which ``user`` sees ``enterprise`` (holding an active consent), or None.

    Views by such users are written to the enterprise's access log.
    """
    from ecosystem.enterprises.models import Consent

    scope = scope_of(user)
    if not scope.bank_ids or scope.is_member_of(enterprise.pk):
        return None
    consent = (
        Consent.objects.filter(
            enterprise=enterprise, bank_id__in=scope.bank_ids, revoked_at__isnull=True
        )
        .select_related("bank")
        .order_by("bank_id")
        .first()
    )
    return consent.bank if consent else None
