"""What the matcher knows about an enterprise: verified data, and what awaits verification.

Only verified data decides eligibility. The latest unverified year and the claims still
under review are carried alongside, so that the explanation can say "would match once
verified".
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


@dataclass(frozen=True)
class Figures:
    year: int
    revenue: Decimal
    rd_expense: Decimal
    employees: int
    class_i_ip: int


@dataclass(frozen=True)
class EnterpriseFacts:
    enterprise_id: int
    founded_on: date | None
    zone_code: str
    industry_section: str
    verified: Figures | None
    verified_programs: frozenset[str]
    pending: Figures | None = None
    pending_programs: frozenset[str] = field(default_factory=frozenset)
    #: Paths of the chain nodes the enterprise sits on (``ic/design``).
    chain_paths: frozenset[str] = field(default_factory=frozenset)
    #: Credit codes of the active chain leaders that confirmed it as a supplier.
    leaders: frozenset[str] = field(default_factory=frozenset)


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

    years = list(enterprise.financial_years.order_by("-year"))
    verified = next((y for y in years if y.verification_status == "verified"), None)
    latest = years[0] if years else None
    claims = enterprise.claims.select_related("program")
    return EnterpriseFacts(
        enterprise_id=enterprise.pk,
        founded_on=enterprise.founded_on,
        zone_code=enterprise.zone.code,
        industry_section=enterprise.industry.section.code if enterprise.industry_id else "",
        verified=_figures(verified),
        verified_programs=frozenset(
            claims.filter(valid_claims_q(on)).values_list("program__code", flat=True)
        ),
        pending=_figures(latest) if latest is not None and latest is not verified else None,
        pending_programs=frozenset(
            claims.filter(status__in=AWAITING_DECISION).values_list("program__code", flat=True)
        ),
        **chain_facts(enterprise_id=enterprise.pk),
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
