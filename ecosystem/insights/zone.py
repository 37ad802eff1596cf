"""The zone dashboard's figures: one zone's enterprises, review work and how the banks
serve its enterprises; each a plain count the tests recompute independently."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language

from ecosystem.insights.figures import Lazy, ageing_of_days
from ecosystem.insights.funds import zone_schemes
from ecosystem.zones.models import Zone

#: Overdue leads listed on the zone dashboard (the count covers them all).
OVERDUE_SHOWN = 50


def zone_dashboard(*, zone: Zone, today=None, english: bool | None = None) -> Lazy:
    """Figures for one zone; each is a plain count the tests recompute independently.

    Besides the zone's own review work it shows how the banks serve the zone's
    enterprises: the financing stages of the funnel with amounts, the banks' response
    times and SLA compliance, and the leads overdue now (zones watch the banks' promises).
    """
    from ecosystem.enterprises import summary as enterprise_summary
    from ecosystem.enterprises import verified_programs, waiting
    from ecosystem.enterprises.models import Enterprise, IndustrySection, QualificationClaim
    from ecosystem.financing.models import Lead
    from ecosystem.financing.selectors.leads import overdue_q
    from ecosystem.insights import summary
    from ecosystem.insights.decision import ZONE_DIMENSIONS
    from ecosystem.insights.summary import enterprise_funnel

    if english is None:
        english = (get_language() or "").startswith("en")

    today = today or timezone.localdate()
    enterprises = Enterprise.objects.filter(zone=zone)
    claims = QualificationClaim.objects.filter(enterprise__zone=zone)
    zone_scope = summary.SummaryScope(zone_id=zone.pk, read_once=True)
    now = timezone.now()

    def stages():
        # The lifecycle stages and the verified enterprises kept per zone
        # (``enterprises.summary``).
        return enterprise_summary.stage_counts(
            zone_id=zone.pk, registered=figures["enterprises"], on=today
        )

    def industries():
        by_section = dict(
            enterprises.order_by()
            .values_list("industry__section_id")
            .annotate(n=Count("pk"))
            .values_list("industry__section_id", "n")
        )
        sections = IndustrySection.objects.in_bulk([pk for pk in by_section if pk is not None])
        counted: Counter = Counter()
        for pk, n in by_section.items():
            section = sections.get(pk)
            counted[f"{section.code} {section.name}" if section else ""] += n
        return dict(counted)

    def programs():
        # The verified enterprises kept per zone and program (``enterprises.verified_programs``).
        return verified_programs.programs_of_zone(zone_id=zone.pk)

    def funnel():
        financing = figures["financing"]
        return [
            ("registered", figures["enterprises"]),
            ("verified", enterprise_summary.verified_in(zone_id=zone.pk)),
            ("matched", financing["matched"]),
            ("lead", financing["lead"]),
            ("offer", financing["offer"]),
            ("disbursed", financing["disbursed"]),
        ]

    def decision(dimension: str):
        if dimension == "overall":
            return lambda: summary.decision_overall(zone_scope, now=now)
        return lambda: summary.decision_by(
            zone_scope, dimension=dimension, now=now, english=english
        )

    def overdue_leads():
        # The first ones chosen from two indexes alone (the overdue leads' due times with
        # their firm, each firm's zone), then only those read with their rows: choosing
        # them with the firms' rows joined read a firm row per overdue lead of every zone.
        first = (
            Lead.objects.filter(enterprise__zone=zone)
            .filter(overdue_q(now))
            .order_by("due_at", "pk")
            .values("pk")[:OVERDUE_SHOWN]
        )
        return list(
            Lead.objects.filter(pk__in=first)
            .select_related("enterprise", "product", "bank", "branch")
            .order_by("due_at", "pk")
        )

    # Each figure is computed when read: an export of one table reads only its figures.
    figures = Lazy(
        {
            "enterprises": lambda: enterprises.count(),
            "stages": stages,
            "industries": industries,
            "programs": programs,
            "decided_last_7_days": lambda: claims.filter(
                decided_at__gte=now - timedelta(days=7), decided_by__isnull=False
            ).count(),
            # The review backlog kept per zone and waiting day (``enterprises.waiting``).
            "waiting_days": lambda: waiting.waiting_days(zone_id=zone.pk),
            "waiting": lambda: sum(figures["waiting_days"].values()),
            "ageing": lambda: ageing_of_days(figures["waiting_days"], today=today),
            "financing": lambda: enterprise_funnel(zone_scope),
            "funnel": funnel,
            "offered_amount": lambda: figures["financing"]["offered_amount"],
            "disbursed_amount": lambda: figures["financing"]["disbursed_amount"],
            "sla": lambda: summary.response_figures(zone_scope, now=now),
            # Time to first contact and to decision of the banks serving the zone's
            # enterprises (``insights.decision.decision_figures``'s keys).
            "decision": lambda: Lazy(
                {
                    "overall": decision("overall"),
                    **{name: decision(dim) for name, dim in ZONE_DIMENSIONS},
                    "chains": decision("chain"),
                }
            ),
            "overdue_leads": overdue_leads,
            "schemes": lambda: zone_schemes(zone),
        }
    )
    return figures
