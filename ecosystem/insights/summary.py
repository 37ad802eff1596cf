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

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, Q, Sum

from ecosystem.financing import workflow
from ecosystem.financing.models import (
    ChainLeadDuration,
    ChainLeadSummary,
    Lead,
    LeadDuration,
    LeadSummary,
)
from ecosystem.financing.summary import PATH
from ecosystem.insights.ahead import CHAIN_LEAD_KEY, leads_due_ahead
from ecosystem.insights.bank import ResponseFigures, _conversion_row, _hours
from ecosystem.insights.decision import decision_row_from
from ecosystem.insights.figures import money, share
from ecosystem.insights.histograms import (
    Histogram,
    as_float,
    grouped_histograms,
    histogram_rows,
    histograms,
    hours_median_and_p90,
    rollup_banks,
    rollup_histograms,
)

K = LeadDuration.Kind
S = Lead.Status
#: The kinds the time-to-decision figures read (working hours).
HOURS = (K.CONTACT_HOURS, K.DECISION_HOURS)
#: Dimension → (summary column, lead column, label lookups on the summary row).
DIMENSIONS = {
    "product": ("product_id", "product_id", ("product__name_zh", "product__name_en")),
    "zone": ("zone_id", "enterprise__zone_id", ("zone__name_zh", "zone__name_en")),
    "branch": ("branch_id", "branch_id", ("branch__name_zh", "branch__name_en")),
    "bank": ("bank_id", "bank_id", ("bank__name_zh", "bank__name_en")),
    # Read from the chain tables (``ChainLeadSummary``); a lead counts once per chain
    # its enterprise sits on.
    "chain": (
        "chain_id",
        CHAIN_LEAD_KEY,
        ("chain__name_zh", "chain__name_en"),
    ),
}
#: The breakdowns' columns of ``LeadDuration`` a scope read once keeps
#: (``histograms.histogram_rows``).
DURATION_COLUMNS = ("product_id", "zone_id", "branch_id", "bank_id")
#: The chains' rows come in the chains' own order, not by label.
CHAIN_ORDER = ("chain__position", "chain__code")


@dataclass(frozen=True)
class SummaryScope:
    """Which leads: ``q`` over ``bank_id`` / ``branch_id`` (``permissions.bank_leads_q``),
    narrowed to one product, branch or zone."""

    q: Q = field(default_factory=Q)
    product_id: int | None = None
    branch_id: int | None = None
    zone_id: int | None = None
    #: Read the scope's duration histogram and its leads due ahead once for every
    #: breakdown and group them in Python (``histograms.grouped_histograms``,
    #: ``ahead.leads_due_ahead``), instead of a grouped query per breakdown: for a scope
    #: whose rows are few (one zone's: about two thousand histogram rows nationally).
    read_once: bool = False
    #: For a scope read once, on PostgreSQL: these breakdowns (not "chain") and the
    #: totals read from one statement when the first of them is read
    #: (:func:`_read_together`), instead of a grouped query each.
    together: tuple[str, ...] = ()
    #: The scope's summary rows grouped per dimension, read once (:func:`group_sums`): the
    #: conversion and time-to-decision tables of a dashboard group the same rows; with
    #: ``read_once``, the rows read once too. A scope lives for one request;
    #: ``dataclasses.replace`` starts a new one empty.
    _groups: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def _narrow(self, zone_lookup: str) -> dict:
        out = {}
        if self.product_id is not None:
            out["product_id"] = self.product_id
        if self.branch_id is not None:
            out["branch_id"] = self.branch_id
        if self.zone_id is not None:
            out[zone_lookup] = self.zone_id
        return out

    def summary(self, *, chains: bool = False):
        model = ChainLeadSummary if chains else LeadSummary
        return model.objects.filter(self.q, **self._narrow("zone_id")).order_by()

    def durations(self, *, chains: bool = False):
        model = ChainLeadDuration if chains else LeadDuration
        return model.objects.filter(self.q, **self._narrow("zone_id")).order_by()

    def leads(self):
        return Lead.objects.filter(self.q, **self._narrow("enterprise__zone_id")).order_by()

    def rollup_banks(self) -> tuple[int, ...] | None:
        """The banks to read from ``LeadDurationRollup`` (``histograms.rollup_banks``), or
        None when the scope is narrowed by anything the rollup does not keep."""
        narrowed = (self.product_id, self.branch_id, self.zone_id) != (None, None, None)
        if narrowed or connection.vendor != "postgresql":
            return None
        return rollup_banks(self.q)


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
    (:func:`_read_together`)."""
    if "totals" not in scope._groups and scope.read_once and scope.together and _together_here():
        _read_together(scope)
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
    breakdowns and its totals (:func:`_read_together`); the rows are shared, read them
    without changing them."""
    key_ = ("rows", dimension)
    if key_ not in scope._groups and dimension in scope.together and _together_here():
        _read_together(scope)
    if key_ not in scope._groups:
        key, _lead_key, (label_zh, label_en) = DIMENSIONS[dimension]
        chains = dimension == "chain"
        order = CHAIN_ORDER if chains else ()
        sums = {**_CONVERSION_SUMS, **_DECISION_SUMS}
        if scope.read_once and not chains:
            sums.update(_EVERY_TOTAL)
        if _together_here():
            scope._groups[key_] = _labelled_after(scope, dimension, sums)
        else:
            scope._groups[key_] = list(
                scope.summary(chains=chains)
                .values(key, label_zh, label_en, *order)
                .annotate(**sums)
                .order_by(*(order or (label_zh, key)))
            )
    return scope._groups[key_]


def _labelled_after(scope: SummaryScope, dimension: str, sums: dict) -> list[dict]:
    """The rows of ``group_rows``' query (``values(key, labels).annotate(sums)``, ordered
    by label and key or the chains' order) with the rows grouped by the key alone and
    the labels joined to the groups: the query hashed every summary row by its key and
    labels (the chains' 50,338 rows nationally, by five columns, two of them text).
    The same inner join (a key naming no row of the label table has no group), sums,
    order and types."""
    key, _lead_key, (label_zh, label_en) = DIMENSIONS[dimension]
    chains = dimension == "chain"
    order = CHAIN_ORDER if chains else ()
    names = list(sums)
    grouped, params = (
        scope.summary(chains=chains)
        .values(key)
        .annotate(**sums)
        .values_list(key, *names)
        .order_by()
        .query.sql_with_params()
    )
    model = ChainLeadSummary if chains else LeadSummary
    table = model._meta.get_field(label_zh.split("__")[0]).related_model._meta.db_table
    labels = [name.split("__")[1] for name in (label_zh, label_en, *order)]
    columns = ", ".join(["k", *(f"s{i}" for i in range(len(names)))])
    ordering = [f"j.{name.split('__')[1]}" for name in order] or ["j." + labels[0], "t.k"]
    query = (
        f"SELECT t.*, {', '.join('j.' + name for name in labels)} "  # noqa: S608 - our names, Django's SQL
        f"FROM ({grouped}) AS t ({columns}) JOIN {table} j ON j.id = t.k "
        f"ORDER BY {', '.join(ordering)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        found = cursor.fetchall()
    out = []
    for row in found:
        figures = dict(zip(names, row[1 : 1 + len(names)], strict=True))
        labelled = dict(zip((label_zh, label_en, *order), row[1 + len(names) :], strict=True))
        out.append({key: row[0], **labelled, **figures})
    return out


def _together_here() -> bool:
    return connection.vendor == "postgresql"  # GROUPING SETS


def _read_together(scope: SummaryScope) -> None:
    """:func:`group_rows` of every breakdown of ``scope.together`` (not the chains) and
    :func:`_totals`, from one statement: the scope's summary rows added up per cell of
    those keys, then the cells per breakdown and in all (``GROUPING SETS``), each
    breakdown's labels joined to its groups. The same rows, sums and order as the
    queries it replaces (a group whose key names no row of its label table left out, as
    their inner join does; the totals over every row)."""
    dimensions = scope.together
    keys = [DIMENSIONS[d][0] for d in dimensions]
    sums = {**_CONVERSION_SUMS, **_DECISION_SUMS, **_EVERY_TOTAL}
    names = list(sums)
    cells, params = (
        scope.summary()
        .values(*keys)
        .annotate(**sums)
        .values_list(*keys, *names)
        .order_by()
        .query.sql_with_params()
    )
    columns = [f"k{i}" for i in range(len(keys))] + [f"s{i}" for i in range(len(names))]

    def added(i: int, name: str) -> str:
        source = sums[name].get_source_expressions()[0].name
        decimal = isinstance(LeadSummary._meta.get_field(source), DecimalField)
        return f"SUM(s{i})" if decimal else f"CAST(SUM(s{i}) AS BIGINT)"

    every = (1 << len(keys)) - 1
    sets = [every & ~(1 << (len(keys) - 1 - i)) for i in range(len(keys))]
    joins, found, labels_zh, labels_en = [], [], [], []
    for i, dimension in enumerate(dimensions):
        _key, _lead_key, (label_zh, label_en) = DIMENSIONS[dimension]
        field = LeadSummary._meta.get_field(label_zh.split("__")[0])
        table = field.related_model._meta.db_table
        zh, en = label_zh.split("__")[1], label_en.split("__")[1]
        joins.append(f"LEFT JOIN {table} j{i} ON t.g = {sets[i]} AND j{i}.id = t.k{i}")
        found.append(f"j{i}.id IS NOT NULL")
        labels_zh.append(f"j{i}.{zh}")
        labels_en.append(f"j{i}.{en}")
    grouped = ", ".join(f"(k{i})" for i in range(len(keys)))
    query = (
        f"SELECT t.*, COALESCE({', '.join(labels_zh)}), COALESCE({', '.join(labels_en)}) "  # noqa: S608 - our names, Django's SQL
        f"FROM (SELECT GROUPING({', '.join(columns[: len(keys)])}) AS g, "
        f"{', '.join(columns[: len(keys)])}, "
        f"{', '.join(added(i, name) for i, name in enumerate(names))} "
        f"FROM ({cells}) AS c ({', '.join(columns)}) "
        f"GROUP BY GROUPING SETS ({grouped}, ())) AS t {' '.join(joins)} "
        f"WHERE t.g = {every} OR {' OR '.join(found)} "
        f"ORDER BY t.g, {len(keys) + len(names) + 2}, COALESCE({', '.join(columns[: len(keys)])})"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        found_rows = cursor.fetchall()
    groups: dict = {d: [] for d in dimensions}
    for row in found_rows:
        g, ids, figures = row[0], row[1 : 1 + len(keys)], row[1 + len(keys) : -2]
        values = dict(zip(names, figures, strict=True))
        if g == every:
            scope._groups["totals"] = values
            continue
        i = sets.index(g)
        key, _lead_key, (label_zh, label_en) = DIMENSIONS[dimensions[i]]
        groups[dimensions[i]].append({key: ids[i], label_zh: row[-2], label_en: row[-1], **values})
    scope._groups.setdefault("totals", {name: None for name in names})
    for dimension, rows in groups.items():
        scope._groups[("rows", dimension)] = rows


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


def conversion_by(scope: SummaryScope, *, dimension: str, english: bool = False) -> list[dict]:
    """``insights.bank.conversion_by`` for product, zone, branch, bank and chain."""
    key, _lead_key, (label_zh, label_en) = DIMENSIONS[dimension]
    out = []
    for row in group_sums(scope, dimension):
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
) -> list[dict]:
    """``insights.decision.decision_by`` for product, zone, branch, bank and chain; with
    ``top``, only the ``top`` groups with the most leads (a page's rows; ties by key)."""
    key, lead_key, (label_zh, label_en) = DIMENSIONS[dimension]
    chains = dimension == "chain"
    order = CHAIN_ORDER if chains else ()
    groups = group_sums(scope, dimension)
    only = None
    if top is not None:
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
