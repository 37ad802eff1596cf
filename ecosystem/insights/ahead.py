"""The leads whose clocks still run with their due time still ahead, grouped as a
dashboard needs them: the corrections the summary tables' "due" figures subtract
(``insights.summary``), read from the leads by the indexes on their due times
(``lead_undecided_due_cover``, ``due_at``); the few leads concerned, not every lead."""

from __future__ import annotations

from collections import defaultdict
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
    due): {group value: {unanswered, unanswered_open, undecided}}; only the ``parts``
    asked for are read (the others stay 0): one query each."""
    leads = scope.leads()
    out: dict = defaultdict(lambda: {"unanswered": 0, "unanswered_open": 0, "undecided": 0})
    unanswered = leads.filter(due_at__gte=now, first_contact_at__isnull=True)
    undecided = leads.filter(decision_due_at__gte=now, decided_at__isnull=True)
    # Grouped through the placements (by chain) a lead on two nodes of a chain is one lead.
    distinct = group is not None and "chain_nodes" in group
    counts = {
        "unanswered": Count("pk", distinct=distinct),
        "unanswered_open": Count("pk", filter=Q(status__in=workflow.OPEN), distinct=distinct),
    }
    if group is None:
        if "unanswered" in parts:
            out[None].update(unanswered.aggregate(**counts))
        if "undecided" in parts:
            out[None]["undecided"] = undecided.count()
        return out
    if group == CHAIN_LEAD_KEY:
        if "unanswered" in parts:
            for chain_id, n, n_open in _by_chain(unanswered):
                out[chain_id].update(unanswered=n, unanswered_open=n_open)
        if "undecided" in parts:
            for chain_id, n, _open in _by_chain(undecided):
                out[chain_id]["undecided"] = n
        return out
    if "unanswered" in parts:
        for row in unanswered.values(group).annotate(**counts).order_by():
            out[row[group]].update(
                unanswered=row["unanswered"], unanswered_open=row["unanswered_open"]
            )
    if "undecided" in parts:
        for row in undecided.values(group).annotate(n=Count("pk", distinct=distinct)).order_by():
            out[row[group]]["undecided"] = row["n"]
    return out


def _by_chain(leads) -> list[tuple]:
    """[(chain id, leads, open leads)] of ``leads`` grouped through their enterprises'
    placements, a lead once per chain (on two nodes of a chain it is one lead). Joined
    from the lead's ``enterprise_id`` straight to the placements: the ORM's path
    (``enterprise__chain_nodes__node__chain_id``) also reads each lead's enterprise row
    (5,461 index probes for the undecided leads due ahead nationally: 111 ms against 35)."""
    from ecosystem.chains.models import ChainNode, EnterpriseNode

    sql, params = leads.values("id", "enterprise_id", "status").order_by().query.sql_with_params()
    marks = ", ".join(["%s"] * len(workflow.OPEN))
    query = (
        "SELECT n.chain_id, COUNT(DISTINCT l.id), "  # noqa: S608 - our names, Django's SQL
        f"COUNT(DISTINCT l.id) FILTER (WHERE l.status IN ({marks})) FROM ({sql}) l "
        f"JOIN {EnterpriseNode._meta.db_table} p ON p.enterprise_id = l.enterprise_id "
        f"JOIN {ChainNode._meta.db_table} n ON n.id = p.node_id GROUP BY n.chain_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [*workflow.OPEN, *params])
        return cursor.fetchall()
