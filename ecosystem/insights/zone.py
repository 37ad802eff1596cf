"""The zone dashboard's figures: one zone's enterprises, review work and how the banks
serve its enterprises; each a plain count the tests recompute independently."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from ecosystem.insights.figures import ageing_counts
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
    from ecosystem.enterprises import summary as enterprise_summary
    from ecosystem.enterprises.models import Enterprise, IndustrySection, QualificationClaim
    from ecosystem.enterprises.workflow import AWAITING_DECISION, ClaimStatus
    from ecosystem.financing.models import Lead
    from ecosystem.financing.selectors.leads import overdue_q
    from ecosystem.insights import summary
    from ecosystem.insights.decision import ZONE_DIMENSIONS
    from ecosystem.insights.summary import enterprise_funnel

    if english is None:
        english = (get_language() or "").startswith("en")

    today = today or timezone.localdate()
    enterprises = Enterprise.objects.filter(zone=zone)
    registered = enterprises.count()
    # The lifecycle stages and the verified enterprises kept per zone
    # (``enterprises.summary``); the industry sections grouped.
    stages = enterprise_summary.stage_counts(zone_id=zone.pk, registered=registered, on=today)
    by_section = dict(
        enterprises.order_by()
        .values_list("industry__section_id")
        .annotate(n=Count("pk"))
        .values_list("industry__section_id", "n")
    )
    sections = IndustrySection.objects.in_bulk([pk for pk in by_section if pk is not None])
    industries: Counter = Counter()
    for pk, n in by_section.items():
        section = sections.get(pk)
        industries[f"{section.code} {section.name}" if section else ""] += n
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
    waiting_ageing = ageing_counts(
        waiting.annotate(waiting_since=Coalesce("submitted_at", "created_at")),
        since="waiting_since",
        today=today,
    )
    verified_enterprises = enterprise_summary.verified_in(zone_id=zone.pk)
    zone_scope = summary.SummaryScope(zone_id=zone.pk)
    financing = enterprise_funnel(zone_scope)
    zone_leads = Lead.objects.filter(enterprise__zone=zone)
    now = timezone.now()
    return {
        "enterprises": registered,
        "stages": stages,
        "industries": dict(industries),
        "programs": by_program,
        "decided_last_7_days": decided.count(),
        "waiting": waiting.count(),
        "ageing": waiting_ageing,
        "funnel": [
            ("registered", registered),
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
            zone_scope, dimensions=ZONE_DIMENSIONS, now=now, english=english
        ),
        "overdue_leads": list(
            zone_leads.filter(overdue_q(now))
            .select_related("enterprise", "product", "bank", "branch")
            .order_by("due_at", "pk")[:OVERDUE_SHOWN]
        ),
        "schemes": zone_schemes(zone),
    }
