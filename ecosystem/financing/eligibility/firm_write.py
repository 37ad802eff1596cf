"""One enterprise's rematch written in as few round trips as PostgreSQL allows.

Inside the caller's transaction: the rematch marker's read goes with the versions' ids and
the facts (``firm.matches_of``, one message of prepared statements); the matches' insert
and update, the stale matches' deletion (each returning what it changed per product, for
the products' match totals: ``match_totals``), the funnel's "has a match" flag
(``funnel.matched_sync``) and the marker's deletion go in a second message, run one after
the other, each seeing the one before, with the question whether the firm is on a chain
(then its matches per bank go to the chain view's counters, ``coverage_summary``). With
BEGIN and COMMIT that is four round trips (it was seven: marker, ids and facts, upsert and
delete, flag, marker deletion); a rematch that wrote or deleted a match adds its changes
to the match totals last, in one more. On other databases the same statements run one by
one (the upsert as before), and the scope's totals are read around them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection

from ecosystem.core import prepared
from ecosystem.core.db import inline_literals
from ecosystem.financing import match_totals
from ecosystem.financing.coverage_summary import coverage_placed, coverage_sync
from ecosystem.financing.eligibility.firm import matches_of
from ecosystem.financing.funnel import (
    matched_changes_apply,
    matched_sync,
    matched_sync_statement,
)
from ecosystem.financing.models import Match

#: Matches per INSERT (7 parameters each; SQLite allows 32,766).
BATCH = 1000

MARKER_READ = "SELECT created_at FROM financing_rematchmarker WHERE enterprise_id = %s"
#: Only the marker read before the rematch: a change committed since wrote a newer one,
#: which stays for its own rematch (or the sweeper).
MARKER_DELETE = "DELETE FROM financing_rematchmarker WHERE enterprise_id = %s AND created_at = %s"

#: A stored match is rewritten only when its figures differ: an unchanged one keeps its
#: row, its index entries and its ``computed_at`` (when its figures were last set), so a
#: rematch that changes little writes little (a full rematch rewrote 1.5 million rows and
#: four indexes each night). Every column compared is NOT NULL.
CHANGED = (
    "WHERE financing_match.indicative_limit <> excluded.indicative_limit "
    "OR financing_match.score <> excluded.score "
    "OR financing_match.figures_declared <> excluded.figures_declared"
)
#: The upsert of matches from ``{source}`` (``VALUES …`` or ``SELECT …``).
UPSERT_FROM = (
    "INSERT INTO financing_match (enterprise_id, product_version_id, product_id, "
    "indicative_limit, score, figures_declared, computed_at) {source} "
    "ON CONFLICT (enterprise_id, product_version_id) DO UPDATE SET "
    "indicative_limit = excluded.indicative_limit, score = excluded.score, "
    "figures_declared = excluded.figures_declared, computed_at = excluded.computed_at "
    f"{CHANGED}"
)
UPSERT = UPSERT_FROM.replace("{source}", "VALUES {values}")
#: PostgreSQL writes new matches and changed ones in two statements, so that each returns
#: what it changed (``match_totals``): the insert leaves a row that exists to the update.
INSERT_NEW = (
    "INSERT INTO financing_match (enterprise_id, product_version_id, product_id, "
    "indicative_limit, score, figures_declared, computed_at) VALUES {values} "
    "ON CONFLICT (enterprise_id, product_version_id) DO NOTHING"
)
#: One firm's matches found, as ``match_totals.updated`` compares the stored ones with.
UPDATE_SOURCE = "(VALUES {values}) AS s (enterprise_id, version_id, m_limit, m_score, declared)"


def upsert_all(
    cursor, *, enterprise_ids, on: date, now, product_ids=None, clear_markers: bool = False
) -> int:
    """Write the matches of ``enterprise_ids`` with the current versions (of
    ``product_ids`` only when given; only the new and the changed matches are written,
    ``BATCH`` matches a statement), delete the matches of that scope this run did not
    find, set the enterprises' funnel flag, and with ``clear_markers`` delete their rematch
    markers as read before the facts; last, add what changed to the products' match totals
    (``match_totals``). The number of rows written."""
    enterprise_ids = [int(pk) for pk in enterprise_ids]  # written into the SQL as numbers
    before = [(MARKER_READ, [pk]) for pk in enterprise_ids] if clear_markers else []
    found, markers = matches_of(
        cursor, enterprise_ids=enterprise_ids, on=on, product_ids=product_ids, before=before
    )
    delete = stale_delete(enterprise_ids, product_ids, found)
    marker_deletes = [
        (MARKER_DELETE, [pk, rows[0][0]])
        for pk, rows in zip(enterprise_ids, markers, strict=False)
        if rows
    ]
    changes = match_totals.Changes()
    if connection.vendor != "postgresql":  # one writer at a time: the scope's totals around
        scope = Match.objects.filter(enterprise_id__in=list(enterprise_ids))
        if product_ids is not None:
            scope = scope.filter(product_id__in=list(product_ids))
        was = match_totals.scope_totals(scope)
        written = 0
        for start in range(0, len(found), BATCH):
            batch = found[start : start + BATCH]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(batch))
            cursor.execute(UPSERT.format(values=values), [v for m in batch for v in (*m, now)])
            written += cursor.rowcount
        cursor.execute(*delete)
        matched_sync(cursor, enterprise_ids=enterprise_ids)
        for sql, params in marker_deletes:
            cursor.execute(sql, params)
        coverage_sync(enterprise_ids=enterprise_ids)
        changes.difference(was, match_totals.scope_totals(scope))
        match_totals.totals_apply(changes)
        return written
    # Each batch: its new matches inserted, then its changed ones updated, each statement
    # returning its changes per product (``match_totals``).
    batches = [
        _counted_writes(found[start : start + BATCH], now) for start in range(0, len(found), BATCH)
    ]
    for writes in batches[:-1]:
        cursor.execute(_inlined(writes))
        changes.add(cursor.fetchall())
        cursor.nextset()
        changes.add(cursor.fetchall())
    counted = [*(batches[-1] if batches else []), (match_totals.deleted(delete[0]), delete[1])]
    # The flag, the markers' deletion and the chain question keep one shape for one firm:
    # prepared, planned once per connection (the flag's CTEs planned in ~0.4 ms a call).
    fixed = [
        matched_sync_statement(enterprise_ids=enterprise_ids),
        *marker_deletes,
        coverage_placed(enterprise_ids),
    ]
    if len(enterprise_ids) == 1:
        fixed = [prepared.statement(cursor, sql, params) for sql, params in fixed]
    message = [*counted, *fixed]
    cursor.execute(_inlined(message))
    for index in range(len(counted)):  # the inserts', the updates', the stale deletion's
        changes.add(cursor.fetchall(), deleting=index == len(counted) - 1)
        cursor.nextset()
    flipped = cursor.fetchall()  # the flag's rows
    for _marker in range(len(marker_deletes) + 1):
        cursor.nextset()  # past the markers' deletion: whether a firm is on a chain
    placed = [pk for (pk,) in cursor.fetchall()]
    matched_changes_apply(cursor, flipped)
    # A firm on a chain: its matches per bank in the chain view's counters, when a match
    # was written or deleted. Nothing written and nothing deleted leaves its banks as they
    # were (the usual case: a firm's change that moves none of its matches), and the sync
    # (a dozen statements under a bucket lock) is skipped.
    if changes.written or changes.deleted:
        coverage_sync(enterprise_ids=placed)
    match_totals.totals_apply(changes)  # last: see ``match_totals``
    return changes.written


def _inlined(statements) -> str:
    """``statements`` (``(sql, params)``) as one message, their values written in
    (``core.db.inline_literals``: the text psycopg would send, without its per-call parse
    of a message of a hundred values)."""
    return inline_literals(
        "; ".join(sql for sql, _ in statements), [v for _, p in statements for v in p]
    )


def _counted_writes(batch, now) -> list[tuple[str, list]]:
    """The INSERT of ``batch``'s new matches and the UPDATE of its changed ones, each
    returning its changes per product (PostgreSQL)."""
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(batch))
    source = ", ".join(["(%s, %s, %s::numeric, %s, %s)"] * len(batch))
    return [
        (
            match_totals.inserted(INSERT_NEW.format(values=rows)),
            [v for m in batch for v in (*m, now)],
        ),
        (
            match_totals.updated(UPDATE_SOURCE.format(values=source)),
            [
                now,
                *(v for pk, version, _product, *figures in batch for v in (pk, version, *figures)),
            ],
        ),
    ]


def stale_delete(enterprise_ids, product_ids, found) -> tuple[str, list]:
    """The DELETE of the matches of ``enterprise_ids`` (of ``product_ids`` only when given)
    not among ``found`` ((enterprise id, version id, …) rows): what Django's
    ``_raw_delete`` of the scope less the found writes, without building and compiling
    that queryset on every firm's rematch (~0.4 ms)."""
    kept = defaultdict(list)
    for enterprise_id, version_id, *_rest in found:
        kept[enterprise_id].append(version_id)
    ids = [int(pk) for pk in enterprise_ids] or [None]
    where = [f"enterprise_id IN ({', '.join(['%s'] * len(ids))})"]
    params: list = [*ids]
    if product_ids is not None:
        products = [int(pk) for pk in product_ids] or [None]
        where.append(f"product_id IN ({', '.join(['%s'] * len(products))})")
        params += products
    if kept:
        where.append(
            "NOT ("
            + " OR ".join(
                f"(enterprise_id = %s AND product_version_id IN ({', '.join(['%s'] * len(v))}))"
                for v in kept.values()
            )
            + ")"
        )
        params += [value for pk, versions in kept.items() for value in (pk, *versions)]
    table = Match._meta.db_table
    return f"DELETE FROM {table} WHERE {' AND '.join(where)}", params  # noqa: S608 - our names


def delete_statement(stale) -> tuple[str, list]:
    """``stale._raw_delete``'s statement, to send with others."""
    from django.db.models.sql.subqueries import DeleteQuery

    query = stale.query.clone()
    query.__class__ = DeleteQuery
    sql, params = query.get_compiler(stale.db).as_sql()
    return sql, list(params)
