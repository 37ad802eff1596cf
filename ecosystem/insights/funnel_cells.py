"""The ecosystem funnel counted in one statement per breakdown (``coverage.ecosystem_funnel``).

Each enterprise of the scope is read once, with its latest declared year (the lifecycle
stage, ``enterprises.stage.stage_sql``), whether it has a verified claim, its
``EnterpriseFinancing`` row (matched, leads, offers, disbursements) and the yuan offered
to it (offers made or accepted) and disbursed to it, summed per enterprise before the
join. The rows are
grouped into cells:

- :func:`zone_stage_cells`: one cell per (zone, lifecycle stage) on ``today``; the zone,
  stage and total tables are sums of these cells, so the enterprises are scanned once
  for all three (they were scanned twice, and the latest year looked up per enterprise
  by a correlated ``MAX``, in the former ``_keyed`` queries);
- :func:`chain_cells`: one cell per chain, each enterprise once per chain it sits on,
  driven from the placements (enterprises on no chain are not read).

When the scope is every zone the zone filters are left out (each joined table is read
whole, by hash joins). For a few zones on PostgreSQL (a zone official's page) the same
figures are looked up per enterprise of the zones instead (:func:`_probe_joins`: ``LATERAL``
index probes for the latest year, the verified claim, the financing row, the yuan), so a
zone's page reads its own enterprises' rows, not whole tables hashed for a twentieth of
them; elsewhere the zone filters restrict every part of the statements above.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from ecosystem.enterprises.models import EnterpriseSummary
from ecosystem.enterprises.stage import stage_sql
from ecosystem.insights.coverage import OFFERED_STATUSES

SUMMARY = EnterpriseSummary._meta.db_table
#: The counts of a cell, in the statement's column order (``coverage.FUNNEL_STEPS``).
COUNTS = (
    "COUNT(*)",
    "COUNT(v.enterprise_id)",
    "COUNT(CASE WHEN f.matched THEN 1 END)",
    "COUNT(CASE WHEN f.leads > 0 THEN 1 END)",
    "COUNT(CASE WHEN f.offered > 0 THEN 1 END)",
    "COUNT(CASE WHEN f.disbursed > 0 THEN 1 END)",
    "SUM(o.amount)",
    "SUM(p.amount)",
)


def _in_scope(alias: str, zone_ids: list[int] | None) -> tuple[str, list]:
    """Rows of enterprise ``alias`` in the zones (every row when ``zone_ids`` is None)."""
    if zone_ids is None:
        return "1 = 1", []
    return f"{alias}.zone_id IN ({', '.join(['%s'] * len(zone_ids))})", list(zone_ids)


def _money_joins(zone_ids: list[int] | None) -> tuple[str, list]:
    """Per enterprise ``e`` (LEFT JOINs, each restricted to the scope's enterprises):
    ``v`` when it has a verified claim, its ``financing`` row ``f``, the yuan offered
    ``o.amount`` and disbursed ``p.amount``."""
    verified_scope, verified_params = _in_scope("ve", zone_ids)
    offered_scope, offered_params = _in_scope("oe", zone_ids)
    paid_scope, paid_params = _in_scope("pe", zone_ids)
    statuses = ", ".join(["%s"] * len(OFFERED_STATUSES))
    sql = (
        "LEFT JOIN (SELECT DISTINCT c.enterprise_id FROM enterprises_qualificationclaim c "  # noqa: S608
        "JOIN enterprises_enterprise ve ON ve.id = c.enterprise_id "
        f"WHERE c.status = %s AND {verified_scope}) v ON v.enterprise_id = e.id "
        "LEFT JOIN financing_enterprisefinancing f ON f.enterprise_id = e.id "
        "LEFT JOIN (SELECT l.enterprise_id, SUM(x.amount) AS amount FROM financing_offer x "
        "JOIN financing_lead l ON l.id = x.lead_id "
        "JOIN enterprises_enterprise oe ON oe.id = l.enterprise_id "
        f"WHERE x.status IN ({statuses}) AND {offered_scope} "
        "GROUP BY l.enterprise_id) o ON o.enterprise_id = e.id "
        "LEFT JOIN (SELECT l.enterprise_id, SUM(x.amount) AS amount "
        "FROM financing_disbursement x JOIN financing_lead l ON l.id = x.lead_id "
        "JOIN enterprises_enterprise pe ON pe.id = l.enterprise_id "
        f"WHERE {paid_scope} GROUP BY l.enterprise_id) p ON p.enterprise_id = e.id "
    )
    return sql, [
        "verified",
        *verified_params,
        *OFFERED_STATUSES,
        *offered_params,
        *paid_params,
    ]


def _probe_joins(*, on: date | None = None) -> tuple[str, list]:
    """As :func:`_money_joins`, as ``LATERAL`` lookups by each enterprise ``e``'s id
    (PostgreSQL), for the enterprises of a few zones, where hashing every row of the
    joined tables costs more than probing them by index:

    - ``s``: its ``EnterpriseSummary`` row (``enterprises.summary``, kept by the services;
      none: a start-up without a verified claim); ``v`` when that row says verified;
    - with ``on``, ``y``: its latest declared year and its founding date, looked up only
      when the row's stage changed with the date by ``on`` (``stage_until`` reached;
      :func:`_stage_of_row`), so the other enterprises are read from the index on
      (zone, id) alone, not from their table rows (one page each: the zones interleave);
    - ``f``: its ``EnterpriseFinancing`` row (``LIMIT 1`` keeps the planner from pulling
      it up into a hash join of the whole table);
    - ``o`` / ``p``: the yuan offered / disbursed, looked up only where ``f`` counts a
      lead with an offer / with a disbursement."""
    statuses = ", ".join(["%s"] * len(OFFERED_STATUSES))
    years, params = "", []
    if on is not None:
        years = (
            "LEFT JOIN LATERAL (SELECT m.revenue, m.employees, d.founded_on "
            "FROM enterprises_financialyear m JOIN enterprises_enterprise d ON d.id = e.id "
            "WHERE s.stage_until <= %s AND m.enterprise_id = e.id "
            "ORDER BY m.year DESC LIMIT 1) y ON true "
        )
        params.append(on)
    sql = (
        "LEFT JOIN LATERAL (SELECT r.stage, r.stage_until, r.verified "  # noqa: S608
        f"FROM {SUMMARY} r WHERE r.enterprise_id = e.id LIMIT 1) s ON true "
        "LEFT JOIN LATERAL (SELECT e.id AS enterprise_id WHERE s.verified) v ON true "
        f"{years}"
        "LEFT JOIN LATERAL (SELECT g.matched, g.leads, g.offered, g.disbursed "
        "FROM financing_enterprisefinancing g WHERE g.enterprise_id = e.id LIMIT 1) f ON true "
        "LEFT JOIN LATERAL (SELECT SUM(x.amount) AS amount FROM financing_lead l "
        "JOIN financing_offer x ON x.lead_id = l.id "
        f"WHERE f.offered > 0 AND l.enterprise_id = e.id AND x.status IN ({statuses})) o ON true "
        "LEFT JOIN LATERAL (SELECT SUM(x.amount) AS amount FROM financing_lead l "
        "JOIN financing_disbursement x ON x.lead_id = l.id "
        "WHERE f.disbursed > 0 AND l.enterprise_id = e.id) p ON true "
    )
    return sql, [*params, *OFFERED_STATUSES]


def _stage_of_row(*, on: date, stage: str, params: list) -> tuple[str, list]:
    """The stage on ``on`` from the summary row ``s`` (``stage_counts``' rule): the
    stored stage (none or blank: start-up) unless ``stage_until`` is reached, then
    ``stage`` (``stage_sql`` over the latest year ``y``)."""
    return (
        f"CASE WHEN s.stage_until <= %s THEN {stage} "
        "WHEN s.stage IN ('growth', 'maturity') THEN s.stage ELSE 'startup' END",
        [on, *params],
    )


def _probing(zone_ids: list[int] | None) -> bool:
    """Look the figures up per enterprise (:func:`_probe_joins`): a few zones, PostgreSQL."""
    return zone_ids is not None and connection.vendor == "postgresql"


def _cells(cursor, sql: str, params: list, keys: int) -> dict[tuple, tuple]:
    cursor.execute(sql, params)
    return {tuple(row[:keys]): tuple(row[keys:]) for row in cursor.fetchall()}


def funnel_cells(*, zone_ids: list[int] | None, today: date) -> tuple[dict, dict]:
    """:func:`zone_stage_cells` and :func:`chain_cells`, on PostgreSQL without JIT
    compilation: the statements' cost estimates pass ``jit_above_cost`` at any size, and
    compiling took longer than running (2.4 of 2.5 s at 100,000 enterprises,
    ``docs/slow-pages.md``)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")
        return (
            zone_stage_cells(cursor, zone_ids=zone_ids, today=today),
            chain_cells(cursor, zone_ids=zone_ids),
        )


def zone_stage_cells(cursor, *, zone_ids: list[int] | None, today: date) -> dict[tuple, tuple]:
    """``{(zone id, stage): (registered, verified, matched, lead, offer, disbursed,
    offered yuan or None, disbursed yuan or None)}`` for the enterprises of ``zone_ids``
    (every zone when None), the stage on ``today`` from the latest declared year (an
    enterprise with no year: no figures)."""
    stage, stage_params = stage_sql(
        on=today, founded_on="e.founded_on", revenue="y.revenue", employees="y.employees"
    )
    years_scope, years_params = _in_scope("ye", zone_ids)
    money, money_params = _money_joins(zone_ids)
    scope, scope_params = _in_scope("e", zone_ids)
    if _probing(zone_ids):
        probes, probe_params = _probe_joins(on=today)
        stage, stage_params = stage_sql(
            on=today, founded_on="y.founded_on", revenue="y.revenue", employees="y.employees"
        )
        stage, stage_params = _stage_of_row(on=today, stage=stage, params=stage_params)
        sql = (
            f"SELECT e.zone_id, {stage}, {', '.join(COUNTS)} "  # noqa: S608 - our SQL
            f"FROM enterprises_enterprise e {probes}WHERE {scope} GROUP BY 1, 2"
        )
        return _cells(cursor, sql, [*stage_params, *probe_params, *scope_params], 2)
    sql = (
        f"SELECT e.zone_id, {stage}, {', '.join(COUNTS)} "  # noqa: S608 - our SQL
        "FROM enterprises_enterprise e "
        "LEFT JOIN (SELECT m.enterprise_id, MAX(m.year) AS year "
        "FROM enterprises_financialyear m JOIN enterprises_enterprise ye "
        f"ON ye.id = m.enterprise_id WHERE {years_scope} GROUP BY m.enterprise_id) latest "
        "ON latest.enterprise_id = e.id "
        "LEFT JOIN enterprises_financialyear y ON y.enterprise_id = latest.enterprise_id "
        "AND y.year = latest.year "
        f"{money}WHERE {scope} GROUP BY 1, 2"
    )
    return _cells(cursor, sql, [*stage_params, *years_params, *money_params, *scope_params], 2)


def chain_cells(cursor, *, zone_ids: list[int] | None) -> dict[tuple, tuple]:
    """``{(chain id,): counts as in zone_stage_cells}``: the enterprises of ``zone_ids``
    on each chain, an enterprise once per chain however many of its nodes it sits on."""
    money, money_params = _money_joins(zone_ids)
    scope, scope_params = _in_scope("e", zone_ids)
    if _probing(zone_ids):
        probes, probe_params = _probe_joins()
        sql = (
            f"SELECT ec.chain_id, {', '.join(COUNTS)} "  # noqa: S608 - our SQL
            "FROM (SELECT DISTINCT en.enterprise_id, n.chain_id FROM enterprises_enterprise e "
            "JOIN chains_enterprisenode en ON en.enterprise_id = e.id "
            f"JOIN chains_chainnode n ON n.id = en.node_id WHERE {scope}) ec "
            f"JOIN enterprises_enterprise e ON e.id = ec.enterprise_id {probes}GROUP BY 1"
        )
        return _cells(cursor, sql, [*scope_params, *probe_params], 1)
    sql = (
        f"SELECT ec.chain_id, {', '.join(COUNTS)} "  # noqa: S608 - our SQL
        "FROM (SELECT DISTINCT en.enterprise_id, n.chain_id FROM chains_enterprisenode en "
        "JOIN chains_chainnode n ON n.id = en.node_id) ec "
        "JOIN enterprises_enterprise e ON e.id = ec.enterprise_id "
        f"{money}WHERE {scope} GROUP BY 1"
    )
    return _cells(cursor, sql, [*money_params, *scope_params], 1)
