"""The leads whose clocks still run with their due time still ahead, grouped as a
dashboard needs them: the corrections the summary tables' "due" figures subtract
(``insights.summary``), read from the leads by the indexes on their due times
(``lead_undecided_due_cover``, ``due_at``); the few leads concerned, not every lead.

A summary scope reads them in one query for every breakdown and part
(:func:`_ahead_rows`) and groups them in Python, once a breakdown is asked for (a scope read
once: from the first call); the overall figures alone are a count per part."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from django.db import connection
from django.db.models import Count, Q

from ecosystem.financing import workflow

#: The lead's path to the chains its enterprise sits on (``insights.summary.DIMENSIONS``).
CHAIN_LEAD_KEY = "enterprise__chain_nodes__node__chain_id"


def leads_due_ahead(
    scope,
    now: datetime,
    group: str | None = None,
    *,
    parts: tuple[str, ...] = ("unanswered", "undecided"),
) -> dict:
    """Leads whose clocks still run with their due time still ahead (not yet counted as
    due): {group value (a key of ``_ROW_COLUMN``): {unanswered, unanswered_open,
    undecided}}; only the ``parts`` asked for are read (the others stay 0).

    A breakdown is counted from :func:`_ahead_rows`, read once for every breakdown and
    part of the same ``now`` (one query where each breakdown cost its own, the zones' and
    chains' each joining the leads' firms: 35 ms apiece over a national bank scope); so
    are the overall figures of a scope read once or whose rows are read already. The
    overall figures alone stay a count per part on the due times' indexes."""
    out: dict = defaultdict(lambda: {"unanswered": 0, "unanswered_open": 0, "undecided": 0})
    if group is not None or scope.read_once or ("ahead", now) in scope._groups:
        return _grouped(out, scope, now, group, parts)
    leads = scope.leads()
    if "unanswered" in parts:
        out[None].update(
            leads.filter(due_at__gte=now, first_contact_at__isnull=True).aggregate(
                unanswered=Count("pk"),
                unanswered_open=Count("pk", filter=Q(status__in=workflow.OPEN)),
            )
        )
    if "undecided" in parts:
        out[None]["undecided"] = leads.filter(
            decision_due_at__gte=now, decided_at__isnull=True
        ).count()
    return out


#: Breakdown (``insights.summary.DIMENSIONS``' lead keys; None: every lead) → the column
#: of :func:`_ahead_rows` that holds its value.
_ROW_COLUMN = {
    None: None,
    "bank_id": 3,
    "branch_id": 4,
    "product_id": 5,
    "zone_id": 6,
    CHAIN_LEAD_KEY: 7,
}
#: :func:`_ahead_rows`' first column: which clock a row's lead still has ahead.
_UNANSWERED, _UNDECIDED = 0, 1


def _ahead_rows(scope, now: datetime) -> list[tuple]:
    """(part, lead id, status, bank, branch, product, zone, chain) of the scope's leads
    with a clock still ahead: the first contact (part 0) and the decision (part 1), a row
    per chain node the lead's enterprise sits on (chain None: on none). One query, kept
    on the scope for ``now``: each part from its index on the due time, with the lead's
    own zone (``Lead.zone``, in the undecided leads' covering index: no firm is probed
    for it; a zone scope filters each part by it), the chain nodes joined once for both
    (grouped per breakdown and part this was six queries, each joining the zone's
    enterprises)."""
    from ecosystem.chains.models import ChainNode, EnterpriseNode
    from ecosystem.financing.models import Lead

    key = ("ahead", now)
    if key in scope._groups:
        return scope._groups[key]
    narrowed = {
        "product_id": scope.product_id,
        "branch_id": scope.branch_id,
        "zone_id": scope.zone_id,
    }
    leads = Lead.objects.filter(
        scope.q, **{name: pk for name, pk in narrowed.items() if pk is not None}
    ).order_by()
    columns = ("id", "enterprise_id", "status", "bank_id", "branch_id", "product_id", "zone_id")
    parts = [
        leads.filter(due_at__gte=now, first_contact_at__isnull=True),
        leads.filter(decision_due_at__gte=now, decided_at__isnull=True),
    ]
    selects, params = [], []
    for part, queryset in zip((_UNANSWERED, _UNDECIDED), parts, strict=True):
        sql, part_params = queryset.values_list(*columns).query.sql_with_params()
        selects.append(f"SELECT {part} AS part, x{part}.* FROM ({sql}) x{part}")  # noqa: S608
        params += part_params
    query = (
        "SELECT l.part, l.id, l.status, l.bank_id, l.branch_id, l.product_id, l.zone_id, "  # noqa: S608
        f"n.chain_id FROM ({' UNION ALL '.join(selects)}) l "
        f"LEFT JOIN {EnterpriseNode._meta.db_table} p ON p.enterprise_id = l.enterprise_id "
        f"LEFT JOIN {ChainNode._meta.db_table} n ON n.id = p.node_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        scope._groups[key] = rows = cursor.fetchall()
    return rows


def _grouped(out: dict, scope, now: datetime, group: str | None, parts) -> dict:
    """:func:`leads_due_ahead`'s figures counted from :func:`_ahead_rows`: a lead once per
    group (on two nodes of a chain, once for the chain); by chain, only the leads whose
    enterprise sits on one."""
    column = _ROW_COLUMN[group]
    distinct = _distinct(scope, now, chains=group == CHAIN_LEAD_KEY)
    if "unanswered" in parts:
        for row in distinct[_UNANSWERED]:
            counts = out[None if column is None else row[column]]
            counts["unanswered"] += 1
            counts["unanswered_open"] += row[2] in workflow.OPEN
    if "undecided" in parts:
        rows = distinct[_UNDECIDED]
        found = Counter([row[column] for row in rows]) if column is not None else {None: len(rows)}
        for value, n in found.items():
            if n:
                out[value]["undecided"] += n
    return out


def _distinct(scope, now: datetime, *, chains: bool) -> dict[int, list[tuple]]:
    """{part: :func:`_ahead_rows` of that part, a lead once (its bank, branch, product and
    zone are the same on each of its rows: there is a row per chain node only), or with
    ``chains`` once per chain it sits on (leads on none left out)}; kept on the scope
    for the next breakdown."""
    key = ("ahead", now, "chains" if chains else "leads")
    if key not in scope._groups:
        seen: set = set()
        kept: dict[int, list[tuple]] = {_UNANSWERED: [], _UNDECIDED: []}
        for row in _ahead_rows(scope, now):
            mark = (row[0], row[1], row[7]) if chains else (row[0], row[1])
            if (chains and row[7] is None) or mark in seen:
                continue
            seen.add(mark)
            kept[row[0]].append(row)
        scope._groups[key] = kept
    return scope._groups[key]
