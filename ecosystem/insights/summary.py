"""The dashboards' lead figures read from the summary tables (``financing.summary``).

Each function returns what its lead-by-lead twin in ``insights.bank`` or
``insights.decision`` returns for the same leads, to the cent and the tenth of an hour:
those twins stay the definition (and the tests' oracle). Counts and sums add up summary
rows; medians and percentiles walk the duration histograms; the figures that depend on
*now* (a due time passed or not) subtract the few leads whose due time is still ahead,
read from the leads by an index on the due time. The query count does not depend on the
number of leads.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Q, Sum

from ecosystem.financing import workflow
from ecosystem.financing.models import (
    Lead,
    LeadDuration,
)
from ecosystem.financing.summary import PATH
from ecosystem.insights.ahead import leads_due_ahead
from ecosystem.insights.bank import ResponseFigures, _conversion_row, _hours
from ecosystem.insights.decision import decision_row_from
from ecosystem.insights.figures import money, share
from ecosystem.insights.grouped import (
    CHAIN_ORDER,
    DIMENSIONS,
    labelled_after,
    read_together,
    together_here,
)
from ecosystem.insights.histograms import (
    Histogram,
    as_float,
    grouped_histograms,
    histogram_rows,
    histograms,
    hours_median_and_p90,
    rollup_histograms,
)
from ecosystem.insights.scope import SummaryScope

K = LeadDuration.Kind
S = Lead.Status
#: The kinds the time-to-decision figures read (working hours).
HOURS = (K.CONTACT_HOURS, K.DECISION_HOURS)
#: The breakdowns' columns of ``LeadDuration`` a scope read once keeps
#: (``histograms.histogram_rows``).
DURATION_COLUMNS = ("product_id", "zone_id", "branch_id", "bank_id")


# ---- the duration histograms of a scope -------------------------------------------------


def _durations(scope: SummaryScope, dimension: str | None, kinds, groups=None) -> dict:
    """{(group, kind): Histogram} of ``dimension`` (None: one group, None) over the
    scope's leads: from the rollup when it answers the scope, else grouped from the
    histogram narrowed to the scope (``insights.histograms``); with ``groups``, those
    only."""
    banks = scope.rollup_banks()
    if banks is not None:
        return rollup_histograms(banks, dimension, kinds, groups)
    if scope.read_once and dimension != "chain":
        if "durations" not in scope._groups:
            scope._groups["durations"] = histogram_rows(scope.durations(), DURATION_COLUMNS)
        column = DIMENSIONS[dimension][0] if dimension else None
        return grouped_histograms(scope._groups["durations"], column, kinds, groups)
    durations = scope.durations(chains=dimension == "chain")
    key = DIMENSIONS[dimension][0] if dimension else None
    if groups is not None:
        durations = durations.filter(**{f"{key}__in": groups})
    return histograms(durations, key, kinds)


# ---- the bank dashboard's figures -------------------------------------------------------


def _reached(stage: str) -> Q:
    return Q(reached__gte=PATH.index(stage))


def lead_funnel(scope: SummaryScope) -> list[dict]:
    """``insights.bank.lead_funnel``."""
    counts = _totals(scope, _FUNNEL_SUMS)
    total, rows, previous = counts[f"f_{S.NEW}"] or 0, [], None
    for stage in PATH:
        count = counts[f"f_{stage}"] or 0
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


def amounts(scope: SummaryScope) -> dict[str, Decimal]:
    """``insights.bank.amounts``."""
    sums = _totals(scope, _AMOUNT_SUMS)
    return {name: money(sums[name]) for name in ("offered", "accepted", "disbursed")}


#: The leads that reached each stage of the path.
_FUNNEL_SUMS = {f"f_{stage}": Sum("leads", filter=_reached(stage)) for stage in PATH}

#: No alias names a column: Django refuses an aggregate shadowing a field.
_AMOUNT_SUMS = {
    "offered": Sum("offered_amount"),
    "accepted": Sum("accepted_amount"),
    "disbursed": Sum("disbursed_amount"),
}


def enterprise_funnel(scope: SummaryScope) -> dict:
    """``insights.bank.enterprise_funnel`` for one zone (``scope.zone_id``) or every zone
    (an empty scope): the enterprises matched, asked, offered, financed from
    ``ZoneFinancing`` (``financing.funnel``), the amounts from the lead summary."""
    from ecosystem.financing.models import ZoneFinancing

    if scope.q != Q() or scope.product_id is not None or scope.branch_id is not None:
        raise ValueError("the enterprise funnel is kept per zone only")
    zones = ZoneFinancing.objects.order_by()
    if scope.zone_id is not None:
        zones = zones.filter(zone_id=scope.zone_id)
    counts = zones.aggregate(
        m=Sum("matched"), n=Sum("leads"), o=Sum("offered"), d=Sum("disbursed")
    )  # no alias names a column (see ``amounts``)
    money_of = amounts(scope)
    return {
        "matched": counts["m"] or 0,
        "lead": counts["n"] or 0,
        "offer": counts["o"] or 0,
        "disbursed": counts["d"] or 0,
        "offered_amount": money_of["offered"],
        "disbursed_amount": money_of["disbursed"],
    }


def response_figures(scope: SummaryScope, *, now: datetime) -> ResponseFigures:
    """``insights.bank.response_figures``."""
    sums = _totals(scope, _RESPONSE_SUMS)
    sums = {name[2:]: value or 0 for name, value in sums.items()}
    ahead = leads_due_ahead(scope, now, parts=("unanswered",))[None]
    waits = _durations(scope, None, (K.RESPONSE_SECONDS,)).get(
        (None, K.RESPONSE_SECONDS), Histogram()
    )
    waits.convert = as_float
    median = _hours(waits.median()) if waits.n else None
    p90 = _hours(waits.p90()) if waits.n > 1 else median
    return ResponseFigures(
        responded=sums["responded"],
        median_hours=median,
        p90_hours=p90,
        due=sums["answered_due"] + sums["unanswered_due"] - ahead["unanswered"],
        on_time=sums["on_time"],
        overdue_open=sums["unanswered_open"] - ahead["unanswered_open"],
    )


_RESPONSE_SUMS = {
    "s_responded": Sum("contacted"),
    "s_answered_due": Sum("answered_due"),
    "s_on_time": Sum("answered_on_time"),
    "s_unanswered_due": Sum("unanswered_due"),
    "s_unanswered_open": Sum("unanswered_due", filter=Q(status__in=workflow.OPEN)),
}


def _totals(scope: SummaryScope, sums: dict) -> dict:
    """``sums`` over the scope's summary rows: every total the dashboards' figures read
    (funnel, amounts, response, time to decision) in one aggregate, kept on the scope (a
    scope lives for one request), or, for a scope read once, read with its breakdowns
    (``grouped.read_together``)."""
    if "totals" not in scope._groups and scope.read_once and scope.together and together_here():
        read_together(scope, {**_CONVERSION_SUMS, **_DECISION_SUMS, **_EVERY_TOTAL})
    if "totals" not in scope._groups:
        scope._groups["totals"] = scope.summary().aggregate(**_EVERY_TOTAL, **_FUNNEL_SUMS)
    kept = scope._groups["totals"]
    missing = {name: total for name, total in sums.items() if name not in kept}
    if missing:  # the funnel's, when the totals came with the breakdowns
        kept.update(scope.summary().aggregate(**missing))
    return {name: kept[name] for name in sums}


def scope_totals(scope: SummaryScope) -> dict:
    """Every total :func:`_totals` reads for a scope read once (``s_…`` and the amounts)."""
    return _totals(scope, _EVERY_TOTAL)


def group_rows(scope: SummaryScope, dimension: str) -> list[dict]:
    """The scope's summary rows per value of ``dimension``, every group (one whose rows
    hold no lead too): the key, both labels, every sum the conversion and
    time-to-decision tables read (``s_…``; for a scope read once, every total of
    :func:`_totals` too), ordered by the Chinese label and key (the chains in their own
    order). One query per scope and dimension, or one for the scope's ``together``
    breakdowns and its totals (``grouped.read_together``); the rows are shared, read them
    without changing them."""
    key_ = ("rows", dimension)
    if key_ not in scope._groups and dimension in scope.together and together_here():
        read_together(scope, {**_CONVERSION_SUMS, **_DECISION_SUMS, **_EVERY_TOTAL})
    if key_ not in scope._groups:
        key, _lead_key, (label_zh, label_en) = DIMENSIONS[dimension]
        chains = dimension == "chain"
        order = CHAIN_ORDER if chains else ()
        sums = {**_CONVERSION_SUMS, **_DECISION_SUMS}
        if scope.read_once and not chains:
            sums.update(_EVERY_TOTAL)
        if together_here():
            scope._groups[key_] = labelled_after(scope, dimension, sums)
        else:
            scope._groups[key_] = list(
                scope.summary(chains=chains)
                .values(key, label_zh, label_en, *order)
                .annotate(**sums)
                .order_by(*(order or (label_zh, key)))
            )
    return scope._groups[key_]


def group_sums(scope: SummaryScope, dimension: str) -> list[dict]:
    """:func:`group_rows` of the groups that hold a lead."""
    if dimension not in scope._groups:
        scope._groups[dimension] = [
            row for row in group_rows(scope, dimension) if (row["s_leads"] or 0) > 0
        ]
    return scope._groups[dimension]


#: Aliases prefixed: Django refuses an aggregate named as a column.
_CONVERSION_SUMS = {
    "s_leads": Sum("leads"),
    "s_offers": Sum("leads", filter=_reached(S.OFFER_MADE)),
    "s_accepted": Sum("leads", filter=_reached(S.ACCEPTED)),
    "s_disbursed": Sum("leads", filter=Q(status=S.DISBURSED)),
    "s_disbursed_amount": Sum("disbursed_amount"),
}


def conversion_by(
    scope: SummaryScope,
    *,
    dimension: str,
    english: bool = False,
    page: slice | None = None,
    top: int | None = None,
) -> list[dict]:
    """``insights.bank.conversion_by`` for product, zone, branch, bank and chain; with
    ``page``, those rows only; with ``top``, the ``top`` rows with the most leads, most
    first (ties in the rows' order), as ``views.bank.top_rows`` cuts a table."""
    key, _lead_key, (label_zh, label_en) = DIMENSIONS[dimension]
    out = []
    groups = group_sums(scope, dimension)
    if page is not None:
        groups = groups[page]
    if top is not None:
        ranked = sorted(range(len(groups)), key=lambda i: (-(groups[i]["s_leads"] or 0), i))
        groups = [groups[i] for i in ranked[:top]]
    for row in groups:
        figures = {
            name: row[f"s_{name}"] or 0 for name in ("leads", "offers", "accepted", "disbursed")
        }
        figures["disbursed_amount"] = row["s_disbursed_amount"]
        label = row[label_en] if english and row[label_en] else row[label_zh]
        out.append(_conversion_row(row[key], label, figures))
    return out


# ---- time to decision -------------------------------------------------------------------

#: Aliases prefixed: Django refuses an aggregate named as a column.
_DECISION_SUMS = {
    f"s_{name}": Sum(name)
    for name in (
        "leads",
        "contacted",
        "decided",
        "decided_due",
        "decided_on_time",
        "undecided_due",
    )
}
#: Every total :func:`_totals` reads for a scope read once.
_EVERY_TOTAL = {**_AMOUNT_SUMS, **_RESPONSE_SUMS, **_DECISION_SUMS}


def _decision(key, label, sums: dict, histograms: dict, ahead: dict) -> dict:
    empty = Histogram()
    sums = {name[2:]: value or 0 for name, value in sums.items()}
    return decision_row_from(
        key,
        label,
        leads=sums["leads"],
        contacted=sums["contacted"],
        contact=hours_median_and_p90(histograms.get((key, K.CONTACT_HOURS), empty)),
        decided=sums["decided"],
        decision=hours_median_and_p90(histograms.get((key, K.DECISION_HOURS), empty)),
        due=sums["decided_due"] + sums["undecided_due"] - ahead["undecided"],
        on_time=sums["decided_on_time"],
    )


def decision_overall(scope: SummaryScope, *, now: datetime) -> dict:
    """``insights.decision.decision_overall``."""
    sums = _totals(scope, _DECISION_SUMS)
    hours = _durations(scope, None, HOURS)
    return _decision(None, "", sums, hours, leads_due_ahead(scope, now, parts=("undecided",))[None])


def decision_by(
    scope: SummaryScope,
    *,
    dimension: str,
    now: datetime,
    english: bool = False,
    top: int | None = None,
    keys: list | None = None,
) -> list[dict]:
    """``insights.decision.decision_by`` for product, zone, branch, bank and chain; with
    ``top``, only the ``top`` groups with the most leads (a page's rows; ties by key); with
    ``keys``, only the groups of those keys (a page of the API's list)."""
    key, lead_key, (label_zh, label_en) = DIMENSIONS[dimension]
    chains = dimension == "chain"
    order = CHAIN_ORDER if chains else ()
    groups = group_sums(scope, dimension)
    only = None
    if keys is not None:
        wanted = set(keys)
        groups = [row for row in groups if row[key] in wanted]
        if not groups:
            return []
        only = [row[key] for row in groups]
    elif top is not None:
        # the most leads first, ties by key (a group without a key last, as SQL sorts NULL)
        groups = sorted(groups, key=lambda row: (-row["s_leads"], row[key] is None, row[key] or 0))[
            :top
        ]
        if not groups:
            return []
        only = [row[key] for row in groups]
    hours = _durations(scope, dimension, HOURS, only)
    ahead = leads_due_ahead(scope, now, lead_key, parts=("undecided",))
    labelled = []
    for row in groups:
        label = row[label_en] if english and row[label_en] else row[label_zh]
        labelled.append((label or "", row[key], row))
    if chains:
        labelled.sort(key=lambda item: tuple(item[2][name] for name in order))
    else:
        labelled.sort(key=lambda item: (item[0], item[1]))
    return [
        _decision(k, label, {n: row[n] for n in _DECISION_SUMS}, hours, ahead[k])
        for label, k, row in labelled
    ]


def decision_figures(
    scope: SummaryScope, *, dimensions, now: datetime, english: bool = False
) -> dict:
    """``insights.decision.decision_figures``, the chains' rows from the chain tables."""
    figures = {"overall": decision_overall(scope, now=now)}
    for name, dimension in (*dimensions, ("chains", "chain")):
        figures[name] = decision_by(scope, dimension=dimension, now=now, english=english)
    return figures
