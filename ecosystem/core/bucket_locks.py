"""Advisory locks per bucket of ids: how a counter table's per-enterprise syncs serialise
(``financing.coverage_summary``, ``financing.ecosystem_summary``), each table under its
own first key (``namespace``)."""

from __future__ import annotations

from django.db import connection

#: Buckets of ids: a lock covers every id with the same ``id % LOCK_BUCKETS``.
LOCK_BUCKETS = 256


def bucket_lock(ids: list[int], *, namespace: int) -> None:
    """Serialise syncs of one enterprise (one statement, in bucket order): the second
    reads the facts and the member row the first committed. One advisory lock per bucket
    of ids (``id % LOCK_BUCKETS``), not per id: a product's rematch syncs every placed
    firm (300,000 nationally), more locks than PostgreSQL's shared lock table holds
    (``max_locks_per_transaction`` × connections: 6,400 by default). Held to the end of
    the transaction; nothing on other databases."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, b)) FROM ("
            "SELECT DISTINCT id %% %s AS b FROM unnest(%s::int[]) AS id ORDER BY b) buckets",
            [namespace, LOCK_BUCKETS, ids],
        )
