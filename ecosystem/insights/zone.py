"""The zone dashboard's figures: one zone's enterprises, review work and how the banks
serve its enterprises; each a plain count the tests recompute independently."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language

from ecosystem.insights.figures import ageing
from ecosystem.insights.funds import zone_schemes
from ecosystem.zones.models import Zone

#: Overdue leads listed on the zone dashboard (the count covers them all).
OVERDUE_SHOWN = 50


def zone_dashboard(*, zone: Zone, today=None, english: bool | None = None) -> dict:
    """Figures for one zone; each is a plain count the tests recompute independently.

    Besides the zone's own review work it shows how the banks serve the zone's
    enterprises: the financing stages of the funnel with amounts, the banks' response
    times and SLA compliance, and the leads overdue now (zones watch the banks' promises).
    """
    from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
    from ecosystem.enterprises.stage import Basis, stage_of
    from ecosystem.enterprises.workflow import AWAITING_DECISION, ClaimStatus
    from ecosystem.financing.models import Lead
    from ecosystem.financing.selectors.leads import overdue_q
    from ecosystem.insights import summary
    from ecosystem.insights.bank import enterprise_funnel
    from ecosystem.insights.decision import ZONE_DIMENSIONS

    if english is None:
        english = (get_language() or "").startswith("en")

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
        stage = stage_of(enterprise, basis=Basis.DECLARED, on=today, figures=fy).stage
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
    waiting_ageing = ageing(
        (timezone.localtime(c.submitted_at or c.created_at).date() for c in waiting), today=today
    )
    verified_enterprises = (
        claims.filter(status=ClaimStatus.VERIFIED).values("enterprise").distinct().count()
    )
    financing = enterprise_funnel(enterprises=enterprises)
    zone_leads = Lead.objects.filter(enterprise__zone=zone)
    zone_scope = summary.SummaryScope(zone_id=zone.pk)
    now = timezone.now()
    return {
        "enterprises": enterprises.count(),
        "stages": dict(stages),
        "industries": dict(industries),
        "programs": by_program,
        "decided_last_7_days": decided.count(),
        "waiting": waiting.count(),
        "ageing": waiting_ageing,
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
        "sla": summary.response_figures(zone_scope, now=now),
        # Time to first contact and to decision of the banks serving the zone's enterprises.
        "decision": summary.decision_figures(
            zone_scope, leads=zone_leads, dimensions=ZONE_DIMENSIONS, now=now, english=english
        ),
        "overdue_leads": list(
            zone_leads.filter(overdue_q(now))
            .select_related("enterprise", "product", "bank", "branch")
            .order_by("due_at", "pk")[:OVERDUE_SHOWN]
        ),
        "schemes": zone_schemes(zone),
    }
