"""What the matcher knows about an enterprise: verified data, declared figures, and what
awaits verification.

Qualifications count only once verified. Yearly figures count from the latest verified
year; an enterprise none of whose years is verified yet is matched on its latest
*declared* year, and the match is *indicative* (``figures_declared``). The latest
unverified year after a verified one and the claims still under review are carried
alongside, so that the explanation can say "would match once verified".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

SCORE_BASE = 50
SCORE_PER_PROGRAM = 10
SCORE_PROGRAMS_COUNTED = 4
SCORE_CLASS_I_IP = 10
LIMIT_ROUNDING = Decimal("10000")


def least_limit(version) -> Decimal:
    """The smallest indicative limit that makes a match: the product's minimum amount,
    and never a limit rounded down to ¥0 (an offer of nothing is no offer, whatever the
    minimum). The one home of this rule: the evaluator, the compiled query and one
    firm's rematch all read it."""
    return max(Decimal(version.amount_min), LIMIT_ROUNDING)


@dataclass(frozen=True)
class Figures:
    year: int
    revenue: Decimal
    rd_expense: Decimal
    employees: int
    class_i_ip: int


@dataclass(frozen=True)
class FiguresSource:
    """Where the figures matching runs on come from: the year, and who verified it (None
    while it is only declared by the enterprise)."""

    year: int
    declared: bool
    verified_by: str = ""
    verified_at: object = None


@dataclass(frozen=True)
class EnterpriseFacts:
    enterprise_id: int
    founded_on: date | None
    zone_code: str
    industry_section: str
    #: The figures matching runs on: the latest verified year, else the latest declared
    #: one (then ``figures_declared``).
    verified: Figures | None
    verified_programs: frozenset[str]
    pending: Figures | None = None
    pending_programs: frozenset[str] = field(default_factory=frozenset)
    #: Paths of the chain nodes the enterprise sits on (``ic/design``).
    chain_paths: frozenset[str] = field(default_factory=frozenset)
    #: Credit codes of the active chain leaders that confirmed it as a supplier.
    leaders: frozenset[str] = field(default_factory=frozenset)
    #: True when ``verified`` holds declared figures (no year of the enterprise is verified).
    figures_declared: bool = False
    figures_source: FiguresSource | None = None
    #: Every program by code, read once with the facts, so that explaining many versions
    #: names their qualification criteria without a query per version.
    programs: dict = field(default_factory=dict, compare=False, hash=False)


def _figures(year) -> Figures | None:
    if year is None:
        return None
    return Figures(year.year, year.revenue, year.rd_expense, year.employees, year.class_i_ip)


def valid_claims_q(on: date, prefix: str = "") -> Q:
    """Verified and not expired on ``on``."""
    return Q(**{f"{prefix}status": "verified"}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": on})
    )


def facts_for(enterprise, *, on: date) -> EnterpriseFacts:
    from ecosystem.enterprises.workflow import AWAITING_DECISION
    from ecosystem.registries.selectors import programs_by_code

    years = list(enterprise.financial_years.select_related("verified_by").order_by("-year"))
    verified = next((y for y in years if y.verification_status == "verified"), None)
    latest = years[0] if years else None
    declared = verified is None and latest is not None
    basis = latest if declared else verified
    claims = enterprise.claims.select_related("program")
    return EnterpriseFacts(
        enterprise_id=enterprise.pk,
        founded_on=enterprise.founded_on,
        zone_code=enterprise.zone.code,
        industry_section=enterprise.industry.section.code if enterprise.industry_id else "",
        verified=_figures(basis),
        figures_declared=declared,
        figures_source=None
        if basis is None
        else FiguresSource(
            year=basis.year,
            declared=declared,
            verified_by="" if declared or basis.verified_by is None else str(basis.verified_by),
            verified_at=None if declared else basis.verified_at,
        ),
        verified_programs=frozenset(
            claims.filter(valid_claims_q(on)).values_list("program__code", flat=True)
        ),
        pending=_figures(latest) if not declared and latest is not verified else None,
        pending_programs=frozenset(
            claims.filter(status__in=AWAITING_DECISION).values_list("program__code", flat=True)
        ),
        **chain_facts(enterprise_id=enterprise.pk),
        programs=programs_by_code(),
    )


def chain_facts(*, enterprise_id: int) -> dict:
    """The enterprise's chain nodes and the leaders it is a confirmed supplier of."""
    from ecosystem.chains.models import EnterpriseNode, SupplierLink

    return {
        "chain_paths": frozenset(
            EnterpriseNode.objects.filter(enterprise_id=enterprise_id).values_list(
                "node__path", flat=True
            )
        ),
        "leaders": frozenset(
            SupplierLink.objects.filter(
                supplier_id=enterprise_id,
                status=SupplierLink.Status.CONFIRMED,
                leader__ended_at__isnull=True,
            ).values_list("leader__enterprise__uscc", flat=True)
        ),
    }


def score_of(*, verified_programs: int, class_i_ip: int | None) -> int:
    programs = min(verified_programs, SCORE_PROGRAMS_COUNTED)
    return (
        SCORE_BASE
        + SCORE_PER_PROGRAM * programs
        + (SCORE_CLASS_I_IP if (class_i_ip or 0) >= 1 else 0)
    )
