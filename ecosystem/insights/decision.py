"""Time to decision: how long a bank takes, in working hours (``core.worktime``), from a
lead's creation to its first contact and to its decision (first offer or decline), and
how often it decides within the product's promise.

Per product, branch, zone or industrial chain, over a queryset already scoped to the
user (``selectors.leads.bank_leads_of``). The durations are computed lead by lead in
Python: working time follows the official calendar, which SQL does not know. A lead
counts for "decided within target" once it was decided or its decision due time passed
(leads opened before the promise existed have none and are not counted)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet

from ecosystem.core.worktime import working_hours_between
from ecosystem.financing.models import Lead
from ecosystem.insights.bank import DIMENSIONS
from ecosystem.insights.figures import share

ONE_DECIMAL = Decimal("0.1")
COLUMNS = ("created_at", "first_contact_at", "decided_at", "decision_due_at")


@dataclass(frozen=True)
class LeadTimes:
    created_at: datetime
    first_contact_at: datetime | None
    decided_at: datetime | None
    decision_due_at: datetime | None


def median_and_p90(hours: list[Decimal]) -> tuple[Decimal | None, Decimal | None]:
    """The median and the 90th percentile (inclusive method), one decimal; the one value
    for a single lead, ``None`` for none."""
    if not hours:
        return None, None
    ordered = sorted(hours)
    median = Decimal(statistics.median(ordered)).quantize(ONE_DECIMAL)
    if len(ordered) == 1:
        return median, median
    p90 = statistics.quantiles(ordered, n=10, method="inclusive")[-1]
    return median, Decimal(p90).quantize(ONE_DECIMAL)


def decision_row(key, label: str, leads: list[LeadTimes], *, now: datetime) -> dict:
    """The figures of one group of leads."""
    to_contact = [
        working_hours_between(lead.created_at, lead.first_contact_at)
        for lead in leads
        if lead.first_contact_at is not None
    ]
    to_decision = [
        working_hours_between(lead.created_at, lead.decided_at)
        for lead in leads
        if lead.decided_at is not None
    ]
    due = [
        lead
        for lead in leads
        if lead.decision_due_at is not None
        and (lead.decided_at is not None or lead.decision_due_at < now)
    ]
    on_time = sum(1 for lead in due if lead.decided_at and lead.decided_at <= lead.decision_due_at)
    return decision_row_from(
        key,
        label,
        leads=len(leads),
        contacted=len(to_contact),
        contact=median_and_p90(to_contact),
        decided=len(to_decision),
        decision=median_and_p90(to_decision),
        due=len(due),
        on_time=on_time,
    )


def decision_row_from(
    key,
    label: str,
    *,
    leads: int,
    contacted: int,
    contact,
    decided: int,
    decision,
    due: int,
    on_time: int,
) -> dict:
    """One row from its counts and its (median, 90th percentile) pairs."""
    return {
        "key": key,
        "label": label or "",
        "leads": leads,
        "contacted": contacted,
        "contact_median_hours": contact[0],
        "contact_p90_hours": contact[1],
        "decided": decided,
        "decision_median_hours": decision[0],
        "decision_p90_hours": decision[1],
        "decision_due": due,
        "decided_on_time": on_time,
        "decided_on_time_share": share(on_time, due),
    }


def _times(row: dict) -> LeadTimes:
    return LeadTimes(**{name: row[name] for name in COLUMNS})


def decision_overall(*, leads: QuerySet[Lead], now: datetime) -> dict:
    """The figures over all the leads."""
    rows = leads.order_by().values(*COLUMNS)
    return decision_row(None, "", [_times(row) for row in rows], now=now)


def decision_by(
    *, leads: QuerySet[Lead], dimension: str, now: datetime, english: bool = False
) -> list[dict]:
    """Per value of ``dimension`` (product, zone, branch, bank, chain), ordered by label."""
    if dimension == "chain":
        return _decision_by_chain(leads=leads, now=now, english=english)
    key, (label_zh, label_en) = DIMENSIONS[dimension]
    groups: dict = defaultdict(list)
    labels: dict = {}
    for row in leads.order_by().values(key, label_zh, label_en, *COLUMNS):
        groups[row[key]].append(_times(row))
        labels[row[key]] = row[label_en] if english and row[label_en] else row[label_zh]
    ordered = sorted(groups, key=lambda k: (labels[k] or "", k))
    return [decision_row(k, labels[k], groups[k], now=now) for k in ordered]


def _decision_by_chain(*, leads: QuerySet[Lead], now: datetime, english: bool) -> list[dict]:
    """Per industrial chain, the leads of enterprises on any of its nodes (an enterprise
    on two chains counts in both), as ``insights.bank.conversion_by_chain`` counts."""
    from ecosystem.chains.models import Chain, EnterpriseNode

    chains_of: dict = defaultdict(set)
    for enterprise_id, chain_id in EnterpriseNode.objects.values_list(
        "enterprise_id", "node__chain_id"
    ).distinct():
        chains_of[enterprise_id].add(chain_id)
    groups: dict = defaultdict(list)
    if not chains_of:
        return []
    # Only the leads of enterprises placed on a chain (not every lead of the scope).
    on_chains = leads.order_by().filter(enterprise_id__in=list(chains_of))
    for row in on_chains.values("enterprise_id", *COLUMNS):
        for chain_id in chains_of.get(row["enterprise_id"], ()):
            groups[chain_id].append(_times(row))
    rows = []
    for chain in Chain.objects.filter(pk__in=groups).order_by("position", "code"):
        label = chain.name_en if english and chain.name_en else chain.name_zh
        rows.append(decision_row(chain.pk, label, groups[chain.pk], now=now))
    return rows


#: The breakdowns each dashboard shows: (name in the figures and the API, dimension).
ZONE_DIMENSIONS = (("banks", "bank"), ("branches", "branch"), ("products", "product"))
PLATFORM_DIMENSIONS = (("banks", "bank"), ("zones", "zone"), ("products", "product"))


def decision_figures(
    *, leads: QuerySet[Lead], dimensions, now: datetime, english: bool = False
) -> dict:
    """``overall`` and one list of rows per ``(name, dimension)``, and per chain."""
    figures = {"overall": decision_overall(leads=leads, now=now)}
    for name, dimension in (*dimensions, ("chains", "chain")):
        figures[name] = decision_by(leads=leads, dimension=dimension, now=now, english=english)
    return figures
