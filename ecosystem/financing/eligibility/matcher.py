"""The evaluator's rules compiled into one query per product version.

A rematch never loops over enterprise–product pairs in Python: each current product
version becomes one ``INSERT … SELECT`` over a temporary table of the enterprises' facts
(optionally a few, or an id range) into a temporary table of the matches found; then one
upsert writes only the new and the changed ones, and one anti-join deletes the scope's
matches not found (including those of versions no longer current). A rematch that finds
what is stored writes nothing. The same SQL runs on PostgreSQL and SQLite.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ecosystem.financing import match_totals
from ecosystem.financing.coverage_summary import coverage_sync_rematched
from ecosystem.financing.eligibility.criteria import RULES, N, uses_figures
from ecosystem.financing.eligibility.facts import (
    LIMIT_ROUNDING,
    SCORE_BASE,
    SCORE_CLASS_I_IP,
    SCORE_PER_PROGRAM,
    SCORE_PROGRAMS_COUNTED,
    least_limit,
)
from ecosystem.financing.eligibility.firm_write import UPSERT_FROM, delete_statement, upsert_all
from ecosystem.financing.funnel import matched_sync
from ecosystem.financing.models import Match, ProductVersion

FACTS_TABLE = "financing_match_facts"
#: The matches a rematch of many enterprises found, every version's, before they are
#: written (only the new and the changed) and the scope's others deleted.
FOUND_TABLE = "financing_match_found"
FOUND_COLUMNS = (
    f"CREATE TEMP TABLE {FOUND_TABLE} (enterprise_id bigint, version_id bigint, "
    "product_id bigint, m_limit numeric, m_score integer, m_declared integer)"
)
#: Up to this many enterprises by id are matched in Python (``firm``); more, like a range.
FEW = 100


def _scope_sql(column: str, enterprise_ids, id_range) -> tuple[str, list]:
    clauses, params = [], []
    if enterprise_ids is not None:
        ids = [int(i) for i in enterprise_ids] or [-1]
        clauses.append(f"{column} IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    if id_range is not None:
        clauses.append(f"{column} >= %s AND {column} < %s")
        params += [int(id_range[0]), int(id_range[1])]
    return (" AND ".join(clauses) or "1 = 1"), params


def facts_select(*, on: date, enterprise_ids=None, id_range=None) -> tuple[str, list]:
    """The SELECT of one row of facts per enterprise in scope (figures: the latest verified
    year, else the latest declared one, flagged ``v_declared``)."""
    codes = _agg("p.code")
    scope_e, params_e = _scope_sql("e.id", enterprise_ids, id_range)
    scope_n, params_n = _scope_sql("en.enterprise_id", enterprise_ids, id_range)
    scope_l, params_l = _scope_sql("l.supplier_id", enterprise_ids, id_range)
    scope_y, params_y = _scope_sql("y.enterprise_id", enterprise_ids, id_range)
    scope_c, params_c = _scope_sql("c.enterprise_id", enterprise_ids, id_range)
    return (
        "SELECT e.id AS enterprise_id, e.founded_on AS founded_on, z.code AS zone_code, "
        "COALESCE(s.code, '') AS section_code, fy.revenue AS v_revenue, "
        "fy.rd_expense AS v_rd, fy.employees AS v_employees, fy.class_i AS v_class_i, "
        "COALESCE(fy.declared, 0) AS v_declared, "
        "COALESCE(pc.n, 0) AS v_programs, ',' || COALESCE(pc.codes, '') || ',' AS v_codes, "
        "',' || COALESCE(cn.paths, '') || ',' AS chain_paths, "
        "',' || COALESCE(sl.codes, '') || ',' AS leader_codes "
        "FROM enterprises_enterprise e "
        "JOIN zones_zone z ON z.id = e.zone_id "
        "LEFT JOIN enterprises_industrydivision d ON d.id = e.industry_id "
        "LEFT JOIN enterprises_industrysection s ON s.id = d.section_id "
        # The latest verified year, else (none verified) the latest declared one.
        "LEFT JOIN (SELECT y.enterprise_id, y.revenue, y.rd_expense, y.employees, "
        "  y.ip_invention_patents + y.ip_ic_layouts + y.ip_plant_varieties + y.ip_new_drugs "
        "  AS class_i, CASE WHEN y.verification_status = 'verified' THEN 0 ELSE 1 END "
        "  AS declared FROM enterprises_financialyear y "
        f"  WHERE {scope_y} AND y.year = COALESCE("
        "    (SELECT MAX(y2.year) FROM enterprises_financialyear y2 "
        "     WHERE y2.enterprise_id = y.enterprise_id AND y2.verification_status = 'verified'),"
        "    (SELECT MAX(y3.year) FROM enterprises_financialyear y3 "
        "     WHERE y3.enterprise_id = y.enterprise_id))"
        ") fy ON fy.enterprise_id = e.id "
        f"LEFT JOIN (SELECT c.enterprise_id, COUNT(DISTINCT p.code) AS n, {codes} AS codes "
        "  FROM enterprises_qualificationclaim c "
        "  JOIN registries_program p ON p.id = c.program_id "
        "  WHERE c.status = 'verified' AND (c.valid_until IS NULL OR c.valid_until >= %s) "
        f"  AND {scope_c} GROUP BY c.enterprise_id) pc ON pc.enterprise_id = e.id "
        f"LEFT JOIN (SELECT en.enterprise_id, {_agg('n.path')} AS paths "
        "  FROM chains_enterprisenode en JOIN chains_chainnode n ON n.id = en.node_id "
        f"  WHERE {scope_n} GROUP BY en.enterprise_id) cn ON cn.enterprise_id = e.id "
        f"LEFT JOIN (SELECT l.supplier_id, {_agg('le.uscc')} AS codes "
        "  FROM chains_supplierlink l JOIN chains_chainleader cl ON cl.id = l.leader_id "
        "  JOIN enterprises_enterprise le ON le.id = cl.enterprise_id "
        "  WHERE l.status = 'confirmed' AND cl.ended_at IS NULL "
        f"  AND {scope_l} GROUP BY l.supplier_id) sl ON sl.supplier_id = e.id "
        f"WHERE {scope_e}",
        [*params_y, on, *params_c, *params_n, *params_l, *params_e],
    )


def build_facts(cursor, *, on: date, enterprise_ids=None, id_range=None) -> None:
    """The facts of the enterprises in scope in a temporary table, computed once per
    rematch of a range and read by every product version's query."""
    select, params = facts_select(on=on, enterprise_ids=enterprise_ids, id_range=id_range)
    cursor.execute(f"DROP TABLE IF EXISTS {FACTS_TABLE}")
    cursor.execute(f"CREATE TEMP TABLE {FACTS_TABLE} AS {select}", params)


def _agg(column: str) -> str:
    """The distinct values of ``column`` joined by commas, in either database's words."""
    if connection.vendor == "postgresql":
        return f"string_agg(DISTINCT {column}, ',')"
    return f"group_concat(DISTINCT {column})"


def version_select(version: ProductVersion, *, on: date) -> tuple[str, list]:
    """SELECT enterprise_id, m_limit, m_score, m_declared FROM the facts table for
    ``version``."""
    where: list[str] = []
    params: list = []

    def add(clause: str, *values) -> None:
        where.append(clause)
        params.extend(values)

    for rule in RULES:
        if rule.applies(version):
            for clause, values in rule.sql(version, on):
                add(clause, *values)
    factor = Decimal(version.limit_factor)
    if version.limit_basis == "fixed":
        base, base_params = N, [factor]
    elif version.limit_basis == "rd_multiple":
        base, base_params = f"v_rd * {N}", [factor]
        add("v_rd IS NOT NULL")
    else:
        base, base_params = f"v_revenue * {N}", [factor]
        add("v_revenue IS NOT NULL")
    amount = f"({base} + v_programs * {N})"
    amount_params = [*base_params, Decimal(version.uplift_per_qualification or 0)]
    if version.limit_floor is not None:
        floor = Decimal(version.limit_floor)
        amount = f"(CASE WHEN {amount} < {N} THEN {N} ELSE {amount} END)"
        amount_params = [*amount_params, floor, floor, *amount_params]
    cap = Decimal(version.amount_max)
    if version.limit_cap is not None:
        cap = min(cap, Decimal(version.limit_cap))
    capped = f"(CASE WHEN {amount} > {N} THEN {N} ELSE {amount} END)"
    capped_params = [*amount_params, cap, cap, *amount_params]
    limit = f"(FLOOR({capped} / {N}) * {N})"
    limit_params = [*capped_params, LIMIT_ROUNDING, LIMIT_ROUNDING]
    score = (
        f"({SCORE_BASE} + {SCORE_PER_PROGRAM} * (CASE WHEN v_programs > "
        f"{SCORE_PROGRAMS_COUNTED} THEN {SCORE_PROGRAMS_COUNTED} ELSE v_programs END) "
        f"+ CASE WHEN COALESCE(v_class_i, 0) >= 1 THEN {SCORE_CLASS_I_IP} ELSE 0 END)"
    )
    declared = "v_declared" if uses_figures(version) else "0"
    inner = (
        f"SELECT enterprise_id, {limit} AS m_limit, {score} AS m_score, "
        f"{declared} AS m_declared "
        f"FROM {FACTS_TABLE} WHERE {' AND '.join(where) or '1 = 1'}"
    )
    return (
        "SELECT q.enterprise_id, q.m_limit, q.m_score, q.m_declared "
        f"FROM ({inner}) q WHERE q.m_limit >= {N}",
        [*limit_params, *params, least_limit(version)],
    )


def eligible(
    version: ProductVersion, *, on: date, enterprise_ids=None, id_range=None
) -> dict[int, tuple[Decimal, int, bool]]:
    """{enterprise id: (indicative limit, score, on declared figures)} as the database
    computes them."""
    with connection.cursor() as cursor:
        build_facts(cursor, on=on, enterprise_ids=enterprise_ids, id_range=id_range)
        sql, params = version_select(version, on=on)
        cursor.execute(sql, params)
        rows = {
            pk: (Decimal(str(limit)).quantize(Decimal("0.01")), int(score), bool(declared))
            for pk, limit, score, declared in cursor.fetchall()
        }
        cursor.execute(f"DROP TABLE IF EXISTS {FACTS_TABLE}")
    return rows


def current_versions() -> QuerySet[ProductVersion]:
    """The newest version of every active product: no newer version of its product exists
    (numbers are unique per product). An anti-join, one pass over the versions; the
    newest-first sub-select it replaces ran once per version (~1 ms of every firm's
    rematch at 60 versions)."""
    newer = ProductVersion.objects.filter(
        product=OuterRef("product"), number__gt=OuterRef("number")
    )
    return (
        ProductVersion.objects.filter(product__is_active=True)
        .filter(~Exists(newer))
        .select_related("product")
        .order_by("pk")
    )


def _collect(cursor, version: ProductVersion, on: date) -> None:
    """Add ``version``'s matches of the facts table to the found table."""
    select, params = version_select(version, on=on)
    cursor.execute(
        f"INSERT INTO {FOUND_TABLE} (enterprise_id, version_id, product_id, m_limit, "  # noqa: S608
        f"m_score, m_declared) SELECT q.enterprise_id, %s, %s, q.m_limit, q.m_score, "
        f"q.m_declared FROM ({select}) q",
        [version.pk, version.product_id, *params],
    )


#: The found matches as ``match_totals.updated`` compares the stored ones with.
FOUND_SOURCE = (
    f"(SELECT enterprise_id, version_id, m_limit, m_score, m_declared = 1 AS declared "
    f"FROM {FOUND_TABLE}) s"
)
#: The found matches that are new or whose figures differ from the stored ones'.
FOUND_CHANGED = (
    "SELECT f.enterprise_id, f.version_id, f.product_id, f.m_limit, f.m_score, "
    f"f.m_declared = 1, %s FROM {FOUND_TABLE} f LEFT JOIN financing_match m "
    "ON m.enterprise_id = f.enterprise_id AND m.product_version_id = f.version_id "
    "WHERE m.id IS NULL OR m.indicative_limit <> f.m_limit OR m.score <> f.m_score "
    "OR m.figures_declared <> (f.m_declared = 1) ORDER BY f.enterprise_id, f.version_id"
)
#: Those inserted where no row is stored when the statement writes (``ON CONFLICT DO
#: NOTHING``: a row stored meanwhile, or one stored with other figures, is left to the
#: update that follows; one a concurrent rematch deleted meanwhile is inserted again, as
#: the upsert did), returning what it inserted per product (``match_totals``) and, in a
#: row without a product, how many it tried: when it inserted them all, no stored match
#: differed from the found one and the update is not run (a second pass over the found).
INSERT_FOUND = (
    f"WITH source AS MATERIALIZED ({FOUND_CHANGED}), w AS (INSERT INTO financing_match "
    "(enterprise_id, product_version_id, product_id, indicative_limit, score, "
    "figures_declared, computed_at) SELECT * FROM source "
    "ON CONFLICT (enterprise_id, product_version_id) DO NOTHING "
    "RETURNING product_id, indicative_limit) "
    "SELECT product_id, count(*), sum(indicative_limit), count(*) FROM w GROUP BY product_id "
    "UNION ALL SELECT NULL, 0, 0, count(*) FROM source"
)


def _write_found(cursor, now, scope, changes: match_totals.Changes) -> int:
    """Write the found matches that are new or whose figures changed (an unchanged one is
    neither rewritten nor locked), then delete the matches of ``scope`` (a ``Match``
    queryset) not found: one anti-join over the scope's matches, in index order; the
    number of rows written. What changed per product goes to ``changes``: on PostgreSQL
    as each statement returns it (``match_totals``), elsewhere as the scope's totals
    before and after."""
    stale = scope.extra(  # noqa: S610 - our names, no input
        where=[
            f"NOT EXISTS (SELECT 1 FROM {FOUND_TABLE} f "  # noqa: S608 - our names
            "WHERE f.enterprise_id = financing_match.enterprise_id "
            "AND f.version_id = financing_match.product_version_id)"
        ]
    )
    if connection.vendor == "postgresql":
        cursor.execute(INSERT_FOUND, [now])
        rows = cursor.fetchall()
        changes.add([row for row in rows if row[0] is not None])
        tried = next(n for product_id, _m, _e, n in rows if product_id is None)
        if tried > changes.written:  # some found differ from the stored ones
            cursor.execute(match_totals.updated(FOUND_SOURCE), [now])
            changes.add(cursor.fetchall())
        cursor.execute(*_counted_delete(stale))
        changes.add(cursor.fetchall(), deleting=True)
        return changes.written
    was = match_totals.scope_totals(scope)
    cursor.execute(UPSERT_FROM.format(source=FOUND_CHANGED), [now])
    written = cursor.rowcount
    stale._raw_delete(stale.db)
    changes.difference(was, match_totals.scope_totals(scope))
    return written


def _counted_delete(stale) -> tuple[str, list]:
    sql, params = delete_statement(stale)
    return match_totals.deleted(sql), params


def rematch(
    *,
    enterprise_ids=None,
    id_range: tuple[int, int] | None = None,
    product_ids=None,
    on: date | None = None,
    clear_markers: bool = False,
) -> int:
    """Recompute matches of the given enterprises (all when None) with the current versions
    of the given products (all active when None), and remove the matches of that scope the
    run no longer finds (including those of superseded versions). Idempotent.

    Ends with ``funnel.matched_sync`` and ``coverage_summary.coverage_sync_rematched`` over
    the scope, then the products' match totals (``match_totals.totals_apply``), in the
    same transaction.

    Given a few ``enterprise_ids`` only (one enterprise's rematch), their facts are read
    once and the versions decided in Python (``firm.upsert_all``); a range, many ids or
    everything, one statement per version over a temporary table of facts."""
    on = on or timezone.localdate()
    now = timezone.now()
    enterprise_ids = None if enterprise_ids is None else list(enterprise_ids)
    product_ids = None if product_ids is None else list(product_ids)
    # No savepoint when called inside a transaction (``rematch_enterprise_now``): it would
    # add two round trips to one enterprise's rematch, and a failure fails the caller.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if enterprise_ids is not None and id_range is None and len(enterprise_ids) <= FEW:
            # A few enterprises: facts once, versions decided in Python (``firm``), the
            # writes, the funnel's flag and the markers in one message (``firm_write``).
            # Neither the versions' queryset nor the scope's is built here: ``firm``
            # reads the versions' keys with SQL compiled once per process.
            return upsert_all(
                cursor,
                enterprise_ids=enterprise_ids,
                product_ids=product_ids,
                on=on,
                now=now,
                clear_markers=clear_markers,
            )
        versions = current_versions()
        if product_ids is not None:
            versions = versions.filter(product_id__in=product_ids)
        # The matches this rematch answers for: those it does not find again are deleted.
        scope = Match.objects.all()
        if enterprise_ids is not None:
            scope = scope.filter(enterprise_id__in=enterprise_ids)
        if id_range is not None:
            scope = scope.filter(enterprise_id__gte=id_range[0], enterprise_id__lt=id_range[1])
        if product_ids is not None:
            scope = scope.filter(product_id__in=product_ids)
        if clear_markers:
            raise ValueError("markers are cleared by the rematch of a few enterprises only")
        build_facts(cursor, on=on, enterprise_ids=enterprise_ids, id_range=id_range)
        cursor.execute(f"DROP TABLE IF EXISTS {FOUND_TABLE}")
        cursor.execute(FOUND_COLUMNS)
        for version in versions:
            _collect(cursor, version, on)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {FOUND_TABLE}")  # the anti-join's plan: a hash of it
        # Every match of the scope not found goes: those the versions no longer take, and
        # those of versions no longer current (superseded, or their product withdrawn).
        changes = match_totals.Changes()
        written = _write_found(cursor, now, scope, changes)
        cursor.execute(f"DROP TABLE IF EXISTS {FACTS_TABLE}")
        cursor.execute(f"DROP TABLE IF EXISTS {FOUND_TABLE}")
        # Which enterprises of the scope now have a match: the zones' funnel counts.
        matched_sync(cursor, enterprise_ids=enterprise_ids, id_range=id_range)
        # Their matches per bank: the chain view's counters.
        coverage_sync_rematched(enterprise_ids=enterprise_ids, id_range=id_range)
        # The products' match totals, last (``match_totals``: no lock taken after them).
        match_totals.totals_apply(changes)
    return written
