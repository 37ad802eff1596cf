"""Figures of the financing funnel: the bank dashboard and the zone dashboard's later stages.

Every figure is a plain count or sum over a queryset passed in already scoped to the user
(``selectors_leads.bank_leads_of`` for a bank, the zone's enterprises for a zone), so the
tests can recompute each one independently.

A lead *reached* a pipeline stage when it is there now or further along the main path,
or its timeline shows it passed there (a declined or withdrawn lead keeps the stages it
reached before).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from ecosystem.financing.models import Disbursement, Lead, LeadNote, Match, Offer
from ecosystem.financing.selectors.leads import overdue_q
from ecosystem.insights.figures import money, share

S = Lead.Status

#: The main path of a lead, in order; the funnel's stages.
PATH: tuple[str, ...] = (
    S.NEW,
    S.ASSIGNED,
    S.CONTACTED,
    S.OFFER_MADE,
    S.ACCEPTED,
    S.DISBURSED,
)


def reached_q(stage: str) -> Q:
    """Leads that reached ``stage``: now at or past it, or passed it in their timeline."""
    onwards = PATH[PATH.index(stage) :]
    if stage == S.NEW:
        return Q()
    return Q(status__in=onwards) | Q(
        Exists(LeadNote.objects.filter(lead_id=OuterRef("pk"), to_status__in=onwards))
    )


def lead_funnel(*, leads: QuerySet[Lead]) -> list[dict]:
    """Per stage: leads that reached it, the share of the previous stage and of all leads."""
    counts = leads.aggregate(**{stage: Count("pk", filter=reached_q(stage)) for stage in PATH})
    total = counts[S.NEW]
    rows, previous = [], None
    for stage in PATH:
        count = counts[stage]
        rows.append(
            {
                "stage": stage,
                "label": S(stage).label,
                "count": count,
                "of_previous": share(count, previous),
                "of_total": share(count, total),
            }
        )
        previous = count
    return rows


def amounts(*, leads: QuerySet[Lead]) -> dict[str, Decimal]:
    """Money along the pipeline: offers made, offers accepted, disbursed (yuan)."""
    offers = Offer.objects.filter(lead__in=leads.values("pk"))
    return {
        "offered": money(offers.aggregate(s=Sum("amount"))["s"]),
        "accepted": money(
            offers.filter(status=Offer.Status.ACCEPTED).aggregate(s=Sum("amount"))["s"]
        ),
        "disbursed": money(
            Disbursement.objects.filter(lead__in=leads.values("pk")).aggregate(s=Sum("amount"))["s"]
        ),
    }


#: Dimensions a bank slices conversion by: (key, lookup of the value, lookup of its label).
DIMENSIONS = {
    "product": ("product_id", ("product__name_zh", "product__name_en")),
    "zone": ("enterprise__zone_id", ("enterprise__zone__name_zh", "enterprise__zone__name_en")),
    "branch": ("branch_id", ("branch__name_zh", "branch__name_en")),
    "bank": ("bank_id", ("bank__name_zh", "bank__name_en")),
}


def _conversion_figures(*, stored: bool = False):
    """With ``stored``, "reached" is read from the lead's kept ``reached`` (the furthest
    stage, set by the services and checked by the summaries' recount) instead of a probe
    of its timeline per lead: a chain's leads nationally, 1.6 s -> 0.5 s, same figures.
    The per-lead form stays the reference the summary tables are checked against."""

    def reached(stage: str) -> Q:
        return Q(reached__gte=PATH.index(stage)) if stored else reached_q(stage)

    return {
        "leads": Count("pk"),
        "offers": Count("pk", filter=reached(S.OFFER_MADE)),
        "accepted": Count("pk", filter=reached(S.ACCEPTED)),
        "disbursed": Count("pk", filter=Q(status=S.DISBURSED)),
        "disbursed_amount": Sum("disbursement__amount"),
    }


def _conversion_row(key, label: str, row: dict) -> dict:
    return {
        "key": key,
        "label": label or "",
        "leads": row["leads"],
        "offers": row["offers"],
        "accepted": row["accepted"],
        "disbursed": row["disbursed"],
        "disbursed_amount": money(row["disbursed_amount"]),
        "conversion": share(row["disbursed"], row["leads"]),
    }


def conversion_by(*, leads: QuerySet[Lead], dimension: str, english: bool = False) -> list[dict]:
    """Per value of ``dimension``: leads, offers, accepted, disbursed, the amount disbursed
    and the conversion from lead to disbursement."""
    if dimension == "chain":
        return conversion_by_chain(leads=leads, english=english)
    key, (label_zh, label_en) = DIMENSIONS[dimension]
    rows = (
        leads.order_by()
        .values(key, label_zh, label_en)
        .annotate(**_conversion_figures())
        .order_by(label_zh, key)
    )
    return [
        _conversion_row(
            row[key], row[label_en] if english and row[label_en] else row[label_zh], row
        )
        for row in rows
    ]


def conversion_by_chain(*, leads: QuerySet[Lead], english: bool = False) -> list[dict]:
    """Per industrial chain, the leads of enterprises on any of its nodes. An enterprise on
    two chains counts in both; one on several nodes of a chain counts once there."""
    from ecosystem.chains.models import Chain, EnterpriseNode

    leads = leads.order_by()
    rows = []
    placed = EnterpriseNode.objects.values("node__chain_id").distinct()
    for chain in Chain.objects.filter(pk__in=placed).order_by("position", "code"):
        on_chain = EnterpriseNode.objects.filter(node__chain=chain).values("enterprise_id")
        figures = leads.filter(enterprise_id__in=on_chain).aggregate(
            **_conversion_figures(stored=True)
        )
        if figures["leads"]:
            label = chain.name_en if english and chain.name_en else chain.name_zh
            rows.append(_conversion_row(chain.pk, label, figures))
    return rows


@dataclass(frozen=True)
class ResponseFigures:
    """How fast and how reliably the bank answers."""

    responded: int
    median_hours: Decimal | None
    p90_hours: Decimal | None
    due: int  # leads whose response time has passed, or that were answered
    on_time: int
    overdue_open: int

    @property
    def compliance(self) -> Decimal | None:
        return share(self.on_time, self.due)


def _hours(seconds: float) -> Decimal:
    return Decimal(str(seconds / 3600)).quantize(Decimal("0.1"))


def response_figures(*, leads: QuerySet[Lead], now: datetime) -> ResponseFigures:
    """Time to first response (median, 90th percentile) and SLA compliance.

    A lead counts for compliance once it was answered or its due time passed; it is on
    time when the first answer came no later than the due time."""
    pairs = list(
        leads.filter(first_contact_at__isnull=False)
        .order_by()
        .values_list("created_at", "first_contact_at")
    )
    waits = sorted((answered - created).total_seconds() for created, answered in pairs)
    median = _hours(statistics.median(waits)) if waits else None
    p90 = (
        _hours(statistics.quantiles(waits, n=10, method="inclusive")[-1])
        if len(waits) > 1
        else median
    )
    with_due = leads.filter(due_at__isnull=False).order_by()
    counted = with_due.filter(Q(first_contact_at__isnull=False) | Q(due_at__lt=now))
    figures = counted.aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(first_contact_at__lte=F("due_at"))),
    )
    overdue = with_due.filter(overdue_q(now)).count()
    return ResponseFigures(
        responded=len(waits),
        median_hours=median,
        p90_hours=p90,
        due=figures["due"],
        on_time=figures["on_time"],
        overdue_open=overdue,
    )


def enterprise_funnel(*, enterprises) -> dict:
    """The financing stages of a set of enterprises (a zone's): how many were matched,
    asked (a lead), got an offer, were financed, and the amounts offered and disbursed."""
    ids = enterprises.values("pk")
    leads = Lead.objects.filter(enterprise_id__in=ids)
    offers = Offer.objects.filter(lead__enterprise_id__in=ids)
    disbursements = Disbursement.objects.filter(lead__enterprise_id__in=ids)
    return {
        "matched": Match.objects.filter(enterprise_id__in=ids)
        .values("enterprise_id")
        .distinct()
        .count(),
        "lead": leads.values("enterprise_id").distinct().count(),
        "offer": offers.values("lead__enterprise_id").distinct().count(),
        "disbursed": disbursements.values("lead__enterprise_id").distinct().count(),
        "offered_amount": money(offers.aggregate(s=Sum("amount"))["s"]),
        "disbursed_amount": money(disbursements.aggregate(s=Sum("amount"))["s"]),
    }
