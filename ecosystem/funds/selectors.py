"""Every read of the policy funds, scoped to the user."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from ecosystem.accounts.scope import scope_of
from ecosystem.funds import permissions
from ecosystem.funds.models import (
    CompensationClaim,
    Filing,
    Loan,
    Scheme,
    SubsidyApplication,
)
from ecosystem.funds.workflow import NON_PERFORMING, NON_PERFORMING_DAYS

ZERO = Decimal("0")


def loans_visible_to(*, user) -> QuerySet[Loan]:
    return (
        Loan.objects.filter(permissions.loans_q(scope_of(user)))
        .distinct()
        .select_related("bank", "enterprise", "lead")
    )


def loans_reported_by(*, user) -> QuerySet[Loan]:
    """Loans the user may report on (the bank side)."""
    return Loan.objects.filter(permissions.bank_loans_q(scope_of(user))).select_related(
        "bank", "enterprise", "lead"
    )


def loan_of_lead(*, user, lead) -> Loan | None:
    return loans_visible_to(user=user).filter(lead=lead).first()


def non_performing_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}classification__in": NON_PERFORMING}) | Q(
        **{f"{prefix}days_past_due__gte": NON_PERFORMING_DAYS}
    )


def zone_loan_figures(*, user) -> list[dict]:
    """Per zone of the official: loans, firms, principal, outstanding and non-performing
    outstanding — figures only, never a loan."""
    scope = scope_of(user)
    if not scope.zone_ids and not scope.admin_may("view_all"):
        return []
    loans = Loan.objects.all()
    if not scope.admin_may("view_all"):
        loans = loans.filter(enterprise__zone_id__in=scope.zone_ids)
    from ecosystem.zones.models import Zone

    rows = list(
        loans.values("enterprise__zone_id")
        .annotate(
            loans=Count("pk"),
            firms=Count("enterprise_id", distinct=True),
            principal=Sum("principal"),
            outstanding=Sum("outstanding_principal"),
            non_performing=Sum("outstanding_principal", filter=non_performing_q()),
        )
        .order_by("enterprise__zone_id")
    )
    zones = Zone.objects.in_bulk([row["enterprise__zone_id"] for row in rows])
    return [
        {
            "zone": zones[row["enterprise__zone_id"]].name,
            "loans": row["loans"],
            "firms": row["firms"],
            "principal": row["principal"] or ZERO,
            "outstanding": row["outstanding"] or ZERO,
            "non_performing": row["non_performing"] or ZERO,
        }
        for row in rows
    ]


def schemes_visible_to(*, user) -> QuerySet[Scheme]:
    return Scheme.objects.filter(permissions.schemes_q(scope_of(user))).select_related("owner_zone")


def schemes_joined_by(*, bank_id) -> QuerySet[Scheme]:
    """The schemes a bank cooperates in (its manager accepted their terms)."""
    return Scheme.objects.filter(banks__bank_id=bank_id).order_by("name")


def filings_visible_to(*, user) -> QuerySet[Filing]:
    return Filing.objects.filter(permissions.filings_q(scope_of(user))).select_related(
        "loan", "loan__enterprise", "loan__bank", "scheme"
    )


def claims_visible_to(*, user) -> QuerySet[CompensationClaim]:
    return CompensationClaim.objects.filter(permissions.claims_q(scope_of(user))).select_related(
        "filing", "filing__loan", "filing__loan__enterprise", "filing__scheme"
    )


def subsidies_visible_to(*, user) -> QuerySet[SubsidyApplication]:
    return SubsidyApplication.objects.filter(
        permissions.subsidies_q(scope_of(user))
    ).select_related("loan", "loan__enterprise", "scheme")


def bank_people_of_loan(loan: Loan) -> list:
    """Who confirms for the bank: the bank's managers and the lead's branch's RMs."""
    from ecosystem.accounts.scope import managers_of_bank, rms_of_branch

    people = {user.pk: user for user in managers_of_bank(loan.bank_id)}
    people.update({user.pk: user for user in rms_of_branch(loan.lead.branch_id)})
    return list(people.values())


def scheme_figures(scheme: Scheme) -> dict:
    """A scheme's live figures: the terms in force, filed balance, headroom, leverage
    used, and the money committed to compensation (net of refunds) and left."""
    from django.utils import timezone

    from ecosystem.funds import calculations
    from ecosystem.funds.services.claims import fund_committed
    from ecosystem.funds.services.schemes import filed_balance, version_at

    terms = version_at(scheme, timezone.localdate())
    if terms is None:
        return {"terms": None}
    balance = filed_balance(scheme)
    committed = fund_committed(scheme.pk)
    return {
        "terms": terms,
        "filed_balance": balance,
        "headroom": calculations.headroom(
            fund_size=terms.fund_size, leverage_cap=terms.leverage_cap, filed_balance=balance
        ),
        "leverage_used": (balance / terms.fund_size).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if terms.fund_size
        else ZERO,
        "committed": committed,
        "fund_left": max(ZERO, terms.fund_size - committed),
    }


def lead_pool_line(*, user, lead) -> dict | None:
    """For the bank side of a lead whose product lends under a risk pool: the pool, its
    compensation share and its live headroom (what the bank sees before it offers)."""
    from ecosystem.funds.models import CooperatingBank, SchemeProduct

    scope = scope_of(user)
    if not (scope.managed_bank_ids or scope.branch_ids) or lead.bank_id not in scope.bank_ids:
        return None
    link = (
        SchemeProduct.objects.filter(
            product_id=lead.product_version.product_id, scheme__kind=Scheme.Kind.RISK_POOL
        )
        .select_related("scheme")
        .first()
    )
    if link is None:
        return None
    figures = scheme_figures(link.scheme)
    if figures["terms"] is None:
        return None
    return {
        "scheme": link.scheme,
        "headroom": figures["headroom"],
        "share_percent": (figures["terms"].compensation_share * 100).normalize(),
        "cooperating": CooperatingBank.objects.filter(
            scheme=link.scheme, bank_id=lead.bank_id
        ).exists(),
    }


def risk_pool_terms(*, on) -> dict[int, tuple[Scheme, Decimal]]:
    """{product id: (risk pool, share of losses it covers)} for every product lending under
    a risk pool with terms in force on ``on`` (two queries, whatever the products)."""
    from ecosystem.funds.models import SchemeProduct, SchemeVersion

    links = list(
        SchemeProduct.objects.filter(scheme__kind=Scheme.Kind.RISK_POOL).select_related("scheme")
    )
    if not links:
        return {}
    in_force = {}
    versions = (
        SchemeVersion.objects.filter(
            scheme_id__in={link.scheme_id for link in links}, effective_from__lte=on
        )
        .exclude(effective_to__lt=on)
        .order_by("scheme_id", "-number")
    )
    for version in versions:
        in_force.setdefault(version.scheme_id, version)  # the newest in force
    first = {}
    for link in sorted(links, key=lambda link: link.pk, reverse=True):
        first[link.product_id] = link  # a product's first link by id wins
    return {
        product_id: (link.scheme, in_force[link.scheme_id].compensation_share)
        for product_id, link in first.items()
        if link.scheme_id in in_force
    }
