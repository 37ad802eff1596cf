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
from functools import cached_property

from django.db.models import Sum
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


#: The lead summary's breakdowns the page shows, read with the totals in one statement.
TOGETHER = ("zone", "bank", "product")


class PlatformReads:
    """What several of the platform's figures read, read once a request: the zone
    counters (enterprises, verified, the enterprise funnel, the review backlog), and the
    lead summary through one scope read once (``SummaryScope.read_once``: the groups per
    zone, bank and product and the totals from one statement, the leads due ahead read
    once for every breakdown)."""

    def __init__(self, *, now=None):
        from ecosystem.insights.summary import SummaryScope

        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.scope = SummaryScope(read_once=True, together=TOGETHER)

    @cached_property
    def registered(self) -> dict[int, int]:
        return registered_by_zone()

    @cached_property
    def verified(self) -> dict[int, int]:
        """{zone id: enterprises with a verified qualification}, every zone row
        (``enterprises.summary``)."""
        from ecosystem.enterprises.models import ZoneSummary

        return dict(ZoneSummary.objects.order_by().values_list("zone_id", "verified"))

    @cached_property
    def financing(self) -> list[dict]:
        """The enterprise funnel's counts per zone (``financing.funnel``)."""
        from ecosystem.financing.models import ZoneFinancing

        return list(ZoneFinancing.objects.order_by().values("zone_id", *FUNNEL_COLUMNS.values()))

    @cached_property
    def waiting(self) -> list[tuple]:
        """The review backlog's rows per zone and day (``enterprises.waiting``)."""
        from ecosystem.enterprises.waiting import zone_days

        return zone_days()


def zone_rows(*, now=None, today=None, reads: PlatformReads | None = None) -> list[ZoneRow]:
    """Every zone with its funnel, money, review backlog and the banks' promptness."""
    from ecosystem.enterprises.waiting import over_target_day, waiting_by_zone
    from ecosystem.insights.ahead import leads_due_ahead
    from ecosystem.insights.summary import group_rows

    reads = reads or PlatformReads(now=now)
    now = reads.now
    today = today or reads.today
    rows = {zone.pk: ZoneRow(zone=zone) for zone in Zone.objects.order_by("code")}

    # Enterprises per zone, kept by the ecosystem counters (``financing.ecosystem_summary``).
    for zone_id, n in reads.registered.items():
        if zone_id in rows:
            rows[zone_id].registered = n
    # Enterprises with a verified qualification, kept per zone (``enterprises.summary``).
    for zone_id, verified in reads.verified.items():
        if zone_id in rows and verified > 0:
            rows[zone_id].verified = verified
    # The enterprise funnel per zone, kept as counts (``financing.funnel``).
    for values in reads.financing:
        row = rows.get(values["zone_id"])
        if row is not None:
            for attribute, column in FUNNEL_COLUMNS.items():
                setattr(row, attribute, values[column])
    # From the lead summary per zone: the money disbursed, and the SLA counts less the
    # leads whose due time is ahead.
    due_ahead = leads_due_ahead(reads.scope, now, "zone_id", parts=("unanswered",))
    for values in group_rows(reads.scope, "zone"):
        row = rows.get(values["zone_id"])
        if row is None:
            continue
        row.disbursed_amount = money(values["s_disbursed_amount"])
        late = due_ahead[values["zone_id"]] if values["zone_id"] in due_ahead else None
        row.sla_due = (values["s_answered_due"] or 0) + (values["s_unanswered_due"] or 0)
        row.sla_due -= late["unanswered"] if late else 0
        row.sla_on_time = values["s_on_time"] or 0
        row.overdue = (values["s_unanswered_open"] or 0) - (late["unanswered_open"] if late else 0)
    # The review backlog kept per zone and waiting day (``enterprises.waiting``): "over
    # the zone's target" is "waiting since a day before ``aged_since``'s local midnight".
    # One cutoff per review target, not per zone: each walks the calendar back day by day
    # (nationally 50 zones, one target: 5 ms of the page).
    by_target = {
        days: over_target_day(today, days)
        for days in {r.zone.review_target_days for r in rows.values()}
    }
    cutoffs = {pk: by_target[row.zone.review_target_days] for pk, row in rows.items()}
    for zone_id, (n, over) in waiting_by_zone(cutoffs=cutoffs, rows=reads.waiting).items():
        if zone_id in rows:
            rows[zone_id].waiting, rows[zone_id].waiting_over_target = n, over
    return list(rows.values())


def platform_dashboard(*, now=None, english: bool = False) -> Lazy:
    """The whole portal's figures: the funnel, money, verification ageing, the banks'
    response, conversion by bank and by chain, and every zone side by side."""
    from ecosystem.enterprises.waiting import days_of
    from ecosystem.insights import summary
    from ecosystem.insights.decision import PLATFORM_DIMENSIONS

    reads = PlatformReads(now=now)
    now, today, everything = reads.now, reads.today, reads.scope

    def funnel():
        financing = {
            column: sum(values[column] for values in reads.financing)
            for column in FUNNEL_COLUMNS.values()
        }
        return [
            ("registered", figures["enterprises"]),
            # kept per zone (``enterprises.summary``)
            ("verified", sum(reads.verified.values())),
            *((stage, financing[column]) for stage, column in FUNNEL_COLUMNS.items()),
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
            "enterprises": lambda: sum(reads.registered.values()),
            "zones": lambda: zone_rows(reads=reads),
            "funnel": funnel,
            "amounts": lambda: summary.amounts(everything),
            # The review backlog kept per zone and waiting day (``enterprises.waiting``).
            "ageing": lambda: ageing_of_days(days_of(reads.waiting), today=today),
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


__all__ = ["PlatformReads", "ZoneRow", "platform_dashboard", "zone_rows"]
