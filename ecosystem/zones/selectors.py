"""Zone reads: the review queue and the dashboard figures, scoped to the official's zones."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ecosystem.accounts.scope import scope_of
from ecosystem.core.workdays import working_days_between
from ecosystem.zones.models import RejectionReason, Zone


def zones_of_official(*, user) -> QuerySet[Zone]:
    """The zones whose queue and figures the user sees: an official's own zones; every zone
    for a platform admin (who oversees, but decides nothing: ``enterprises.permissions``)."""
    scope = scope_of(user)
    if scope.admin_may("view_all"):
        return Zone.objects.all()
    return Zone.objects.filter(pk__in=scope.zone_ids)


def active_rejection_reasons() -> QuerySet[RejectionReason]:
    return RejectionReason.objects.filter(is_active=True)


def rejection_reason_label(code: str) -> str:
    reason = RejectionReason.objects.filter(code=code).first()
    return reason.label if reason else code


@dataclass(frozen=True)
class QueueItem:
    kind: str  # "claim" or "financial_year"
    obj: object
    waiting_since: object
    age_working_days: int
    target_days: int

    @property
    def overdue(self) -> bool:
        return self.age_working_days > self.target_days


def claims_awaiting_review(*, user, program=None, status=None, q: str = ""):
    from ecosystem.enterprises.models import QualificationClaim
    from ecosystem.enterprises.workflow import AWAITING_DECISION

    claims = QualificationClaim.objects.filter(
        enterprise__zone__in=zones_of_official(user=user), status__in=AWAITING_DECISION
    ).select_related("enterprise", "enterprise__zone", "program")
    if program:
        claims = claims.filter(program=program)
    if status:
        claims = claims.filter(status=status)
    if q:
        claims = claims.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q))
    return claims.order_by("submitted_at", "pk")


def years_awaiting_review(*, user, q: str = ""):
    from ecosystem.enterprises.models import FinancialYear

    years = FinancialYear.objects.filter(
        enterprise__zone__in=zones_of_official(user=user), verification_status="unverified"
    ).select_related("enterprise", "enterprise__zone")
    if q:
        years = years.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q))
    return years.order_by("updated_at", "pk")


def review_queue(
    *,
    user,
    program=None,
    status=None,
    kind: str = "",
    q: str = "",
    min_age: int | None = None,
    today=None,
) -> list[QueueItem]:
    """Claims and years awaiting a human in the official's zones, oldest first, with ageing
    in working days against each zone's target."""
    today = today or timezone.localdate()
    items: list[QueueItem] = []
    if kind in ("", "claim"):
        for claim in claims_awaiting_review(user=user, program=program, status=status, q=q):
            since = claim.submitted_at or claim.created_at
            items.append(
                QueueItem(
                    "claim",
                    claim,
                    since,
                    working_days_between(timezone.localtime(since).date(), today),
                    claim.enterprise.zone.review_target_days,
                )
            )
    if kind in ("", "financial_year") and not program and not status:
        for year in years_awaiting_review(user=user, q=q):
            items.append(
                QueueItem(
                    "financial_year",
                    year,
                    year.updated_at,
                    working_days_between(timezone.localtime(year.updated_at).date(), today),
                    year.enterprise.zone.review_target_days,
                )
            )
    if min_age is not None:
        items = [i for i in items if i.age_working_days >= min_age]
    return sorted(items, key=lambda i: i.waiting_since)


#: Overdue leads listed on the zone dashboard (the count covers them all).
OVERDUE_SHOWN = 50


def zone_dashboard(*, zone: Zone, today=None) -> dict:
    """Figures for one zone; each is a plain count the tests recompute independently.

    Besides the zone's own review work it shows how the banks serve the zone's
    enterprises: the financing stages of the funnel with amounts, the banks' response
    times and SLA compliance, and the leads overdue now (zones watch the banks' promises).
    """
    from ecosystem.enterprises.lifecycle import derive_stage
    from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
    from ecosystem.enterprises.workflow import AWAITING_DECISION, ClaimStatus
    from ecosystem.financing.models import Lead
    from ecosystem.financing.selectors_dashboard import (
        enterprise_funnel,
        overdue_q,
        response_figures,
    )

    today = today or timezone.localdate()
    enterprises = Enterprise.objects.filter(zone=zone).select_related("industry__section")
    latest = {}
    for year in FinancialYear.objects.filter(enterprise__zone=zone).order_by(
        "enterprise_id", "year"
    ):
        latest[year.enterprise_id] = year
    stages: Counter = Counter()
    industries: Counter = Counter()
    for enterprise in enterprises:
        fy = latest.get(enterprise.pk)
        stage = derive_stage(
            founded_on=enterprise.founded_on,
            on=today,
            revenue=fy.revenue if fy else None,
            employees=fy.employees if fy else None,
        ).stage
        stages[str(stage.value)] += 1
        section = enterprise.industry.section if enterprise.industry_id else None
        industries[f"{section.code} {section.name}" if section else ""] += 1
    claims = QualificationClaim.objects.filter(enterprise__zone=zone)
    by_program = list(
        claims.filter(status=ClaimStatus.VERIFIED)
        .values("program__code", "program__name_zh", "program__name_en")
        .annotate(enterprises=Count("enterprise", distinct=True))
        .order_by("program__code")
    )
    week_ago = timezone.now() - timedelta(days=7)
    decided = claims.filter(decided_at__gte=week_ago, decided_by__isnull=False)
    waiting = claims.filter(status__in=AWAITING_DECISION)
    ageing: Counter = Counter()
    for claim in waiting:
        age = working_days_between(
            timezone.localtime(claim.submitted_at or claim.created_at).date(), today
        )
        bucket = "0-2" if age <= 2 else "3-5" if age <= 5 else "6-10" if age <= 10 else ">10"
        ageing[bucket] += 1
    verified_enterprises = (
        claims.filter(status=ClaimStatus.VERIFIED).values("enterprise").distinct().count()
    )
    financing = enterprise_funnel(enterprises=enterprises)
    zone_leads = Lead.objects.filter(enterprise__zone=zone)
    now = timezone.now()
    return {
        "enterprises": enterprises.count(),
        "stages": dict(stages),
        "industries": dict(industries),
        "programs": by_program,
        "decided_last_7_days": decided.count(),
        "waiting": waiting.count(),
        "ageing": {k: ageing.get(k, 0) for k in ("0-2", "3-5", "6-10", ">10")},
        "funnel": [
            ("registered", enterprises.count()),
            ("verified", verified_enterprises),
            ("matched", financing["matched"]),
            ("lead", financing["lead"]),
            ("offer", financing["offer"]),
            ("disbursed", financing["disbursed"]),
        ],
        "offered_amount": financing["offered_amount"],
        "disbursed_amount": financing["disbursed_amount"],
        "sla": response_figures(leads=zone_leads, now=now),
        "overdue_leads": list(
            zone_leads.filter(overdue_q(now))
            .select_related("enterprise", "product", "bank", "branch")
            .order_by("due_at", "pk")[:OVERDUE_SHOWN]
        ),
    }
