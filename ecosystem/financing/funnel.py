"""The enterprise funnel kept as counts: how many enterprises of each zone were matched,
asked (a lead), got an offer, were financed (``models.summary.EnterpriseFinancing`` per
enterprise, ``ZoneFinancing`` per zone), so the zone and platform dashboards read a row per
zone instead of a distinct count over matches, leads, offers and disbursements.

How it stays exact (``docs/summary-tables.md``):

- **Leads, offers, disbursements**: every lead move ends in ``summary.summary_apply``, with
  the lead's facts before and after; :func:`enterprise_apply` adds the difference of the
  lead's three counts (one lead; with an offer; with a disbursement) to the enterprise's
  row with one upsert that returns the new counts, under the row's lock. A count that
  went from zero to more, or back, moves the zone's count by one. Two moves of the same
  enterprise serialise on that row, so no transition is counted twice or missed.
- **Matches**: every match is written by ``eligibility.matcher.rematch``, which ends with
  :func:`matched_sync` over the enterprises it rematched, in its transaction.
- **A zone move** (``ENTERPRISE_ZONE_MOVED``): :func:`enterprise_zone_moved` moves the
  enterprise's row and its counts to the new zone.
- Bulk writes: ``manage.py rebuild_summaries`` recounts both tables (:func:`recount`),
  ``--check`` compares (:func:`drift`).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db import connection, transaction

from ecosystem.core.db import add_rows, figure_rows
from ecosystem.core.drift import table_drift
from ecosystem.financing.coverage_summary import coverage_sync
from ecosystem.financing.ecosystem_summary import ecosystem_sync
from ecosystem.financing.models import (
    OFFERED_STATUSES,
    Disbursement,
    EnterpriseFinancing,
    Lead,
    Match,
    Offer,
    ZoneFinancing,
)

#: The lead-side counts of an enterprise (a lead's contribution: 1, has an offer, has a
#: disbursement), in this order; with ``matched`` the four figures of a zone.
LEAD_COUNTS = ("leads", "offered", "disbursed")
FIGURES = ("matched", *LEAD_COUNTS)
#: The yuan of an enterprise's leads: offered (offers made or accepted) and disbursed.
AMOUNTS = ("offered_amount", "disbursed_amount")
ENTERPRISES = EnterpriseFinancing._meta.db_table
ZONES = ZoneFinancing._meta.db_table
ZERO = Decimal("0.00")


def lead_counts(*, offers: int, disbursements: int, offered=ZERO, disbursed=ZERO) -> tuple:
    """One lead's contribution to its enterprise's row: its counts (1, has an offer, has
    a disbursement) and its yuan (offered: made or accepted offers; disbursed)."""
    return (1, int(offers > 0), int(disbursements > 0), offered, disbursed)


def enterprise_apply(changes: dict[int, tuple[int, list]]) -> None:
    """Add ``{enterprise id: (zone id, [leads, offered, disbursed, offered yuan, disbursed
    yuan] change)}`` to the enterprises' rows (the zone is used for a row not yet there)
    and move the zones' counts where a figure crossed zero."""
    zones: Counter = Counter()
    with connection.cursor() as cursor:
        for enterprise_id in sorted(changes):
            zone_id, change = changes[enterprise_id]
            if not any(change):
                continue
            cursor.execute(
                f"INSERT INTO {ENTERPRISES} AS t (enterprise_id, zone_id, matched, leads, "  # noqa: S608 - our names
                "offered, disbursed, offered_amount, disbursed_amount) "
                "VALUES (%s, %s, false, %s, %s, %s, %s, %s) "
                "ON CONFLICT (enterprise_id) DO UPDATE SET leads = t.leads + EXCLUDED.leads, "
                "offered = t.offered + EXCLUDED.offered, "
                "disbursed = t.disbursed + EXCLUDED.disbursed, "
                "offered_amount = t.offered_amount + EXCLUDED.offered_amount, "
                "disbursed_amount = t.disbursed_amount + EXCLUDED.disbursed_amount "
                "RETURNING zone_id, leads, offered, disbursed",
                [enterprise_id, zone_id, *change],
            )
            row_zone, *now = cursor.fetchone()
            for name, new, delta in zip(LEAD_COUNTS, now, change[:3], strict=True):
                if (new - delta > 0) != (new > 0):
                    zones[(row_zone, name)] += 1 if new > 0 else -1
        zones_apply(cursor, zones)
    moved = [pk for pk, (_zone, change) in changes.items() if any(change)]
    # a lead created, an offer, a disbursement: the chain view's counters
    # (``coverage_summary``) and the ecosystem page's (``ecosystem_summary``)
    coverage_sync(enterprise_ids=moved)
    ecosystem_sync(enterprise_ids=moved)


def zones_apply(cursor, changes: Counter) -> None:
    """Add ``{(zone id, figure): change}`` to the zones' rows, in zone order."""
    add_rows(cursor, ZONES, ("zone_id",), FIGURES, figure_rows(changes, FIGURES))


def _scope_sql(column: str, *, enterprise_ids=None, id_range=None) -> tuple[str, list]:
    """A condition on the enterprise id ``column`` for a rematch's scope."""
    clauses, params = ["true"], []
    if enterprise_ids is not None:
        ids = list(enterprise_ids) or [None]
        clauses.append(f"{column} IN ({', '.join(['%s'] * len(ids))})")
        params.extend(ids)
    if id_range is not None:
        clauses.append(f"{column} >= %s AND {column} < %s")
        params.extend(id_range)
    return " AND ".join(clauses), params


def matched_sync_statement(*, enterprise_ids=None, id_range=None) -> tuple[str, list]:
    """PostgreSQL's one statement of ``matched_sync`` (both moves in data-modifying CTEs),
    to be sent with others; its rows go to ``matched_changes_apply``."""
    has_match = f"EXISTS (SELECT 1 FROM {Match._meta.db_table} m WHERE m.enterprise_id = "  # noqa: S608
    where, params = _scope_sql("e.id", enterprise_ids=enterprise_ids, id_range=id_range)
    return (
        f"WITH scope AS (SELECT e.id, e.zone_id, {has_match}e.id) AS has "  # noqa: S608
        f"FROM enterprises_enterprise e WHERE {where}), "
        f"up AS (INSERT INTO {ENTERPRISES} AS t (enterprise_id, zone_id, matched, leads, "
        "offered, disbursed) SELECT id, zone_id, true, 0, 0, 0 FROM scope WHERE has "
        "ORDER BY id ON CONFLICT (enterprise_id) DO UPDATE SET matched = true "
        "WHERE NOT t.matched RETURNING t.zone_id, 1 AS change, t.enterprise_id), "
        f"down AS (UPDATE {ENTERPRISES} t SET matched = false FROM scope "
        "WHERE t.enterprise_id = scope.id AND t.matched AND NOT scope.has "
        "RETURNING t.zone_id, -1 AS change, t.enterprise_id) "
        "SELECT zone_id, change, enterprise_id FROM up "
        "UNION ALL SELECT zone_id, change, enterprise_id FROM down",
        params,
    )


def matched_changes_apply(cursor, rows) -> None:
    """Move the zones' "matched" counts by the ``(zone id, ±1, enterprise id)`` rows of
    that statement, and sync the ecosystem page's counters of the enterprises that
    flipped (``ecosystem_summary``)."""
    changes: Counter = Counter()
    for zone_id, change, _enterprise_id in rows:
        changes[(zone_id, "matched")] += change
    zones_apply(cursor, changes)
    ecosystem_sync(enterprise_ids=[enterprise_id for _zone, _change, enterprise_id in rows])


def matched_sync(cursor, *, enterprise_ids=None, id_range=None) -> None:
    """After a rematch of the enterprises in scope (all when both are None): set each
    one's ``matched`` to whether it has a match now, and move its zone's count where it
    changed. Touches only the rows that change: on PostgreSQL one statement (both moves in
    data-modifying CTEs; one firm's rematch sends it with its writes), elsewhere two."""
    if connection.vendor == "postgresql":
        sql, params = matched_sync_statement(enterprise_ids=enterprise_ids, id_range=id_range)
        cursor.execute(sql, params)
        matched_changes_apply(cursor, cursor.fetchall())
        return
    has_match = f"EXISTS (SELECT 1 FROM {Match._meta.db_table} m WHERE m.enterprise_id = "  # noqa: S608
    where, params = _scope_sql("e.id", enterprise_ids=enterprise_ids, id_range=id_range)
    cursor.execute(
        f"INSERT INTO {ENTERPRISES} AS t (enterprise_id, zone_id, matched, leads, offered, "  # noqa: S608
        f"disbursed) SELECT e.id, e.zone_id, true, 0, 0, 0 FROM enterprises_enterprise e "
        f"WHERE {where} AND {has_match}e.id) ORDER BY e.id "
        "ON CONFLICT (enterprise_id) DO UPDATE SET matched = true WHERE NOT t.matched "
        "RETURNING zone_id, enterprise_id",
        params,
    )
    rows = [(zone_id, 1, pk) for zone_id, pk in cursor.fetchall()]
    where, params = _scope_sql(
        f"{ENTERPRISES}.enterprise_id", enterprise_ids=enterprise_ids, id_range=id_range
    )
    cursor.execute(
        f"UPDATE {ENTERPRISES} SET matched = false WHERE {where} AND matched "  # noqa: S608
        f"AND NOT {has_match}{ENTERPRISES}.enterprise_id) RETURNING zone_id, enterprise_id",
        params,
    )
    rows += [(zone_id, -1, pk) for zone_id, pk in cursor.fetchall()]
    matched_changes_apply(cursor, rows)


def enterprise_zone_moved(*, enterprise_id: int, old_zone_id: int, new_zone_id: int) -> None:
    """The enterprise moved zone: its row, and its place in the zones' counts, move too."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ENTERPRISES} SET zone_id = %s WHERE enterprise_id = %s "  # noqa: S608
            "RETURNING matched, leads, offered, disbursed",
            [new_zone_id, enterprise_id],
        )
        row = cursor.fetchone()
        if row is None:
            return
        changes: Counter = Counter()
        for name, value in zip(FIGURES, row, strict=True):
            if value:
                changes[(old_zone_id, name)] -= 1
                changes[(new_zone_id, name)] += 1
        zones_apply(cursor, changes)


# ---- recount, rebuild, drift -----------------------------------------------------------


def recount() -> tuple[dict, dict]:
    """Both tables as a recount of matches, leads, offers and disbursements makes them:
    ({enterprise id: (zone id, matched, leads, offered, disbursed, offered yuan,
    disbursed yuan)}, {zone id: (matched, leads, offered, disbursed)}), rows counting
    nothing left out."""
    offered = set(Offer.objects.values_list("lead_id", flat=True).distinct())
    standing: Counter = Counter()
    for lead_id, amount in Offer.objects.filter(status__in=OFFERED_STATUSES).values_list(
        "lead_id", "amount"
    ):
        standing[lead_id] += amount
    paid: Counter = Counter()
    for lead_id, amount in Disbursement.objects.values_list("lead_id", "amount"):
        paid[lead_id] += amount
    counts: dict[int, list] = {}
    for lead_id, enterprise_id in Lead.objects.values_list("pk", "enterprise_id").iterator(
        chunk_size=20000
    ):
        row = counts.setdefault(enterprise_id, [False, 0, 0, 0, ZERO, ZERO])
        row[1] += 1
        row[2] += lead_id in offered
        row[3] += lead_id in paid
        row[4] += standing.get(lead_id, ZERO)
        row[5] += paid.get(lead_id, ZERO)
    for enterprise_id in Match.objects.values_list("enterprise_id", flat=True).distinct():
        counts.setdefault(enterprise_id, [False, 0, 0, 0, ZERO, ZERO])[0] = True
    zone_of = _all_zones()
    enterprises = {pk: (zone_of[pk], *row) for pk, row in counts.items()}
    zones: dict[int, list] = {}
    for zone_id, *figures in enterprises.values():
        row = zones.setdefault(zone_id, [0, 0, 0, 0])
        for i, value in enumerate(figures[:4]):
            row[i] += bool(value)
    return enterprises, {k: tuple(v) for k, v in zones.items() if any(v)}


def _all_zones() -> dict[int, int]:
    from ecosystem.enterprises.models import Enterprise

    return dict(Enterprise.objects.values_list("pk", "zone_id").iterator(chunk_size=50000))


def stored() -> tuple[dict, dict]:
    """Both tables as they are, rows counting nothing left out."""
    enterprises = {
        row[0]: tuple(row[1:])
        for row in EnterpriseFinancing.objects.values_list(
            "enterprise_id", "zone_id", *FIGURES, *AMOUNTS
        ).iterator(chunk_size=20000)
        if any(row[2:])
    }
    zones = {
        row[0]: tuple(row[1:])
        for row in ZoneFinancing.objects.values_list("zone_id", *FIGURES)
        if any(row[1:])
    }
    return enterprises, zones


def drift() -> dict:
    """How the stored tables differ from a recount (as ``summary_recount.summaries_drift``)."""
    return table_drift(("enterprises", "zones"), recount(), stored())


def rebuild() -> dict:
    """Replace both tables by a recount, in one transaction (no move lands between)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {ENTERPRISES}, {ZONES}")
        EnterpriseFinancing.objects.all().delete()
        ZoneFinancing.objects.all().delete()
        enterprises, zones = recount()
        EnterpriseFinancing.objects.bulk_create(
            (
                EnterpriseFinancing(
                    enterprise_id=pk,
                    zone_id=row[0],
                    **dict(zip((*FIGURES, *AMOUNTS), row[1:], strict=True)),
                )
                for pk, row in enterprises.items()
            ),
            batch_size=5000,
        )
        ZoneFinancing.objects.bulk_create(
            ZoneFinancing(zone_id=zone_id, **dict(zip(FIGURES, row, strict=True)))
            for zone_id, row in zones.items()
        )
    return {"enterprise_rows": len(enterprises), "zone_rows": len(zones)}
