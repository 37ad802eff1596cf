"""Enterprises found by a part of their name, English name or credit code: one rule for
every search box over the firms (the enterprise API's ``q``).

A part of three characters or more is served by the trigram indexes (enterprises 0016). A
part of two characters, the usual length of a Chinese search ("星河", "华为"), has no
trigram to look up, so it scanned the million firms nationally (478 ms, no match). On
PostgreSQL it is looked up instead in the GIN index of every firm's two-character pieces
(``kj_search_bigrams``, enterprises 0020): the same firms, since a two-character part
occurs in a column exactly when it is one of the column's pieces (case folded by
``upper`` on both sides, as ``icontains`` does).

A piece many firms hold ("科技", "有限", a code's "0A") is the exception: the planner
then tests the pieces firm by firm (about 8 us each, against 0.6 for ``LIKE``), within a
relationship manager's or a manager's scope too. Nationally, the capped count of a piece
every firm holds cost 90-220 ms against 24-48 ms for the plain test, and a relationship
manager's search for a piece 6 % of the firms hold 1.3 s against 0.7. A piece held by at
least 2 % of the firms keeps the plain test, which finds its matches within the first
rows it reads. Which pieces those are is read from the index's own statistics
(``pg_stats``, refreshed by ANALYZE), once per process every few minutes: no query per
search.
"""

from __future__ import annotations

import time

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.db import connection, models
from django.db.models import F, Func, Q, Value

#: The columns searched, in the order ``kj_search_bigrams`` takes them.
COLUMNS = ("name", "name_en", "uscc")
#: A piece held by at least this share of the firms is searched by the plain test.
COMMON_SHARE = 0.02
#: How long the common pieces read from ``pg_stats`` are kept (seconds).
COMMON_TTL = 300

_common: dict = {"pieces": frozenset(), "until": 0.0}


def common_pieces() -> frozenset[str]:
    """The pieces at least ``COMMON_SHARE`` of the firms hold, per the index's statistics
    (none before the table's first ANALYZE after the index was made)."""
    now = time.monotonic()
    if now >= _common["until"]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = 'enterprise_search_bigrams'"
            )
            row = cursor.fetchone()
        pieces = frozenset()
        if row and row[0]:
            pieces = frozenset(
                p for p, share in zip(row[0], row[1], strict=False) if share >= COMMON_SHARE
            )
        _common.update(pieces=pieces, until=now + COMMON_TTL)
    return _common["pieces"]


def forget_common_pieces() -> None:
    """Read the statistics again at the next search (after an ANALYZE, in tests)."""
    _common["until"] = 0.0


class SearchBigrams(Func):
    """The upper-cased two-character pieces of a firm's searched columns (its index's
    expression: the planner matches the call with the index)."""

    function = "kj_search_bigrams"
    output_field = ArrayField(models.TextField())


class UpperPiece(Func):
    """``ARRAY[UPPER(part)]``: the searched part, folded as the index's pieces are."""

    template = "ARRAY[UPPER(%(expressions)s)]"
    output_field = ArrayField(models.TextField())


def name_or_code_q(part: str) -> Q:
    """Firms with ``part`` in their name, English name or credit code (case ignored)."""
    if len(part) == 2 and connection.vendor == "postgresql" and part.upper() not in common_pieces():
        pieces = SearchBigrams(*(F(column) for column in COLUMNS))
        return Q(DataContains(pieces, UpperPiece(Value(part, output_field=models.TextField()))))
    return Q(
        *(Q(**{f"{column}__icontains": part}) for column in COLUMNS),
        _connector=Q.OR,
    )
