"""One enterprise's rematch written in as few round trips as PostgreSQL allows.

Inside the caller's transaction: the rematch marker's read goes with the versions' ids and
the facts (``firm.matches_of``, one message of prepared statements); the matches' upsert,
the stale matches' deletion, the funnel's "has a match" flag (``funnel.matched_sync``)
and the marker's deletion go in a second message, run one after the other, each seeing
the one before, with the question whether the firm is on a chain (then its matches per
bank go to the chain view's counters, ``coverage_summary``). With BEGIN and COMMIT that
is four round trips (it was seven: marker,
ids and facts, upsert and delete, flag, marker deletion). On other databases the same
statements run one by one.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from datetime import date
from functools import reduce

from django.db import connection
from django.db.models import Q

from ecosystem.financing.coverage_summary import coverage_placed, coverage_sync
from ecosystem.financing.eligibility.firm import matches_of
from ecosystem.financing.funnel import (
    matched_changes_apply,
    matched_sync,
    matched_sync_statement,
)

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


def upsert_all(
    cursor, versions, *, enterprise_ids, on: date, now, scope, clear_markers: bool = False
) -> int:
    """Write the matches of ``enterprise_ids`` with ``versions`` (one statement per
    ``BATCH`` matches: one for one enterprise; only the new and the changed ones are
    written), delete the matches of ``scope`` (a ``Match`` queryset) this run did not
    find, set the enterprises' funnel flag, and with ``clear_markers`` delete their
    rematch markers as read before the facts; the number of rows written."""
    before = [(MARKER_READ, [pk]) for pk in enterprise_ids] if clear_markers else []
    found, markers = matches_of(
        cursor, versions, enterprise_ids=enterprise_ids, on=on, before=before
    )
    inserts = []
    for start in range(0, len(found), BATCH):
        batch = found[start : start + BATCH]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(batch))
        inserts.append((UPSERT.format(values=values), [v for m in batch for v in (*m, now)]))
    delete = _delete_sql(stale_of(scope, found))
    marker_deletes = [
        (MARKER_DELETE, [pk, rows[0][0]])
        for pk, rows in zip(enterprise_ids, markers, strict=False)
        if rows
    ]
    written = 0
    if connection.vendor != "postgresql":
        for sql, params in inserts:
            cursor.execute(sql, params)
            written += cursor.rowcount
        cursor.execute(*delete)
        matched_sync(cursor, enterprise_ids=enterprise_ids)
        for sql, params in marker_deletes:
            cursor.execute(sql, params)
        coverage_sync(enterprise_ids=enterprise_ids)
        return written
    for sql, params in inserts[:-1]:
        cursor.execute(sql, params)
        written += cursor.rowcount
    flag = matched_sync_statement(enterprise_ids=enterprise_ids)
    message = [*inserts[-1:], delete, flag, *marker_deletes, coverage_placed(enterprise_ids)]
    cursor.execute("; ".join(sql for sql, _ in message), [v for _, p in message for v in p])
    if inserts:  # the first result is the last insert's
        written += cursor.rowcount
        cursor.nextset()
    deleted = cursor.rowcount  # the stale deletion's
    cursor.nextset()  # past the stale deletion: the flag's rows
    flipped = cursor.fetchall()
    for _marker in range(len(marker_deletes) + 1):
        cursor.nextset()  # past the markers' deletion: whether a firm is on a chain
    placed = [pk for (pk,) in cursor.fetchall()]
    matched_changes_apply(cursor, flipped)
    # A firm on a chain: its matches per bank in the chain view's counters, when a match
    # was written or deleted. Nothing written and nothing deleted leaves its banks as they
    # were (the usual case: a firm's change that moves none of its matches), and the sync
    # (a dozen statements under a bucket lock) is skipped.
    if written or deleted:
        coverage_sync(enterprise_ids=placed)
    return written


def stale_of(scope, found):
    """The matches of ``scope`` not among ``found`` ((enterprise id, version id, …) rows)."""
    kept = defaultdict(list)
    for enterprise_id, version_id, *_rest in found:
        kept[enterprise_id].append(version_id)
    if not kept:
        return scope
    return scope.exclude(
        reduce(
            operator.or_,
            (Q(enterprise_id=pk, product_version_id__in=ids) for pk, ids in kept.items()),
        )
    )


def _delete_sql(stale) -> tuple[str, list]:
    """``stale._raw_delete``'s statement, to send with others."""
    from django.db.models.sql.subqueries import DeleteQuery

    query = stale.query.clone()
    query.__class__ = DeleteQuery
    sql, params = query.get_compiler(stale.db).as_sql()
    return sql, list(params)
