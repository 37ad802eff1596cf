"""The platform-wide dashboard: every zone side by side, and the whole funnel.

For the platform admin, who answers for the portal to the zone administrations and the
bank together: where enterprises register, where verification lags, where financing
reaches and where it does not, bank by bank and chain by chain. The figures are those of
the zone dashboard (``zones.selectors.zone_dashboard``) and the bank dashboard
(``insights.bank``) over everything; the per-zone table is one grouped
query per column, so its cost does not grow with the number of zones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from ecosystem.core.amounts import Money
from ecosystem.insights.figures import Lazy, ageing_of_days, money, share
from ecosystem.zones.models import Zone


@dataclass
class ZoneRow:
    """One zone's line in the comparison table."""

    zone: Zone
    registered: int = 0
    verified: int = 0
    matched: int = 0
    lead: int = 0
    offer: int = 0
    disbursed: int = 0
    disbursed_amount: Decimal = field(default_factory=lambda: Money("0.00"))
    waiting: int = 0
    waiting_over_target: int = 0
    sla_due: int = 0
    sla_on_time: int = 0
    overdue: int = 0

    @property
    def sla_compliance(self) -> Decimal | None:
        return share(self.sla_on_time, self.sla_due)

    @property
    def verified_share(self) -> Decimal | None:
        return share(self.verified, self.registered)


#: ZoneRow attribute: ``ZoneFinancing`` column.
FUNNEL_COLUMNS = {
    "matched": "matched",
    "lead": "leads",
    "offer": "offered",
    "disbursed": "disbursed",
}


def registered_by_zone() -> dict[int, int]:
    """{zone id: enterprises}: the ecosystem counters' cells summed over the stages
    (``financing.ecosystem_summary``: every enterprise counts once, in its zone)."""
    from ecosystem.financing.models import EcosystemCell

    rows = EcosystemCell.objects.order_by().values("zone_id").annotate(n=Sum("registered"))
    return {row["zone_id"]: row["n"] or 0 for row in rows}


def _by_zone(queryset, zone_path: str, **figures) -> dict[int, dict]:
    """``figures`` aggregated per zone id (``zone_path`` leads from the rows to the zone)."""
    rows = queryset.order_by().values(zone_path).annotate(**figures)
    return {row[zone_path]: row for row in rows}


def zone_rows(*, now=None, today=None) -> list[ZoneRow]:
    """Every zone with its funnel, money, review backlog and the banks' promptness."""
    from ecosystem.enterprises.summary import verified_by_zone
    from ecosystem.enterprises.waiting import over_target_day, waiting_by_zone
    from ecosystem.financing.models import LeadSummary, ZoneFinancing
    from ecosystem.financing.workflow import OPEN

    now = now or timezone.now()
    today = today or timezone.localdate(now)
    rows = {zone.pk: ZoneRow(zone=zone) for zone in Zone.objects.order_by("code")}

    def fill(figures: dict[int, dict], **columns) -> None:
        for zone_id, values in figures.items():
            row = rows.get(zone_id)
            if row is not None:
                for attribute, key in columns.items():
                    value = values[key] if values[key] is not None else 0
                    if attribute.endswith("_amount"):
                        value = money(value)
                    setattr(row, attribute, value)

    # Enterprises per zone, kept by the ecosystem counters (``financing.ecosystem_summary``).
    for zone_id, n in registered_by_zone().items():
        if zone_id in rows:
            rows[zone_id].registered = n
    # Enterprises with a verified qualification, kept per zone (``enterprises.summary``).
    for zone_id, verified in verified_by_zone().items():
        if zone_id in rows:
            rows[zone_id].verified = verified
    # The enterprise funnel per zone, kept as counts (``financing.funnel``); the money
    # disbursed per zone from the lead summary.
    for values in ZoneFinancing.objects.values("zone_id", *FUNNEL_COLUMNS.values()).order_by():
        row = rows.get(values["zone_id"])
        if row is not None:
            for attribute, column in FUNNEL_COLUMNS.items():
                setattr(row, attribute, values[column])
    fill(
        _by_zone(LeadSummary.objects, "zone_id", amount=Sum("disbursed_amount")),
        disbursed_amount="amount",
    )
    # From the summary tables: the SLA counts less the leads whose due time is ahead.
    from ecosystem.insights.ahead import leads_due_ahead
    from ecosystem.insights.summary import SummaryScope

    due_ahead = leads_due_ahead(SummaryScope(), now, "enterprise__zone_id", parts=("unanswered",))
    sums = (
        LeadSummary.objects.values("zone_id")
        .annotate(
            s_answered=Sum("answered_due"),
            s_unanswered=Sum("unanswered_due"),
            s_on_time=Sum("answered_on_time"),
            s_open=Sum("unanswered_due", filter=Q(status__in=OPEN)),
        )
        .order_by()
    )
    for values in sums:
        row = rows.get(values["zone_id"])
        if row is None:
            continue
        late = due_ahead[values["zone_id"]] if values["zone_id"] in due_ahead else None
        row.sla_due = (values["s_answered"] or 0) + (values["s_unanswered"] or 0)
        row.sla_due -= late["unanswered"] if late else 0
        row.sla_on_time = values["s_on_time"] or 0
        row.overdue = (values["s_open"] or 0) - (late["unanswered_open"] if late else 0)
    # The review backlog kept per zone and waiting day (``enterprises.waiting``): "over
    # the zone's target" is "waiting since a day before ``aged_since``'s local midnight".
    cutoffs = {pk: over_target_day(today, row.zone.review_target_days) for pk, row in rows.items()}
    for zone_id, (n, over) in waiting_by_zone(cutoffs=cutoffs).items():
        if zone_id in rows:
            rows[zone_id].waiting, rows[zone_id].waiting_over_target = n, over
    return list(rows.values())


def platform_dashboard(*, now=None, english: bool = False) -> Lazy:
    """The whole portal's figures: the funnel, money, verification ageing, the banks'
    response, conversion by bank and by chain, and every zone side by side."""
    from ecosystem.enterprises.summary import verified_in
    from ecosystem.enterprises.waiting import waiting_days
    from ecosystem.insights import summary
    from ecosystem.insights.decision import PLATFORM_DIMENSIONS

    now = now or timezone.now()
    today = timezone.localdate(now)
    everything = summary.SummaryScope()

    def funnel():
        financing = summary.enterprise_funnel(everything)
        return [
            ("registered", figures["enterprises"]),
            ("verified", verified_in()),  # kept per zone (``enterprises.summary``)
            ("matched", financing["matched"]),
            ("lead", financing["lead"]),
            ("offer", financing["offer"]),
            ("disbursed", financing["disbursed"]),
        ]

    def decision(dimension: str):
        if dimension == "overall":
            return lambda: summary.decision_overall(everything, now=now)
        return lambda: summary.decision_by(
            everything, dimension=dimension, now=now, english=english
        )

    # Each figure is computed when read: an export of one table reads only its figures.
    figures = Lazy(
        {
            "enterprises": lambda: sum(registered_by_zone().values()),
            "zones": lambda: zone_rows(now=now, today=today),
            "funnel": funnel,
            "amounts": lambda: summary.amounts(everything),
            # The review backlog kept per zone and waiting day (``enterprises.waiting``).
            "ageing": lambda: ageing_of_days(waiting_days(), today=today),
            "waiting": lambda: sum(figures["ageing"].values()),
            "sla": lambda: summary.response_figures(everything, now=now),
            "banks": lambda: summary.conversion_by(everything, dimension="bank", english=english),
            "chains": lambda: summary.conversion_by(everything, dimension="chain", english=english),
            # ``insights.decision.decision_figures``'s keys, each computed when read.
            "decision": lambda: Lazy(
                {
                    "overall": decision("overall"),
                    **{name: decision(dim) for name, dim in PLATFORM_DIMENSIONS},
                    "chains": decision("chain"),
                }
            ),
        }
    )
    return figures


__all__ = ["ZoneRow", "platform_dashboard", "zone_rows"]
