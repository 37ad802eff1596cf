"""Enterprises found by a part of their name, English name or credit code: one rule for
every search box over the firms (the enterprise API's ``q``).

A part of three characters or more is served by the trigram indexes (enterprises 0016). A
part of two characters, the usual length of a Chinese search ("星河", "华为"), has no
trigram to look up, so it scanned the million firms nationally (478 ms, no match). On
PostgreSQL it is looked up instead in the GIN index of every firm's two-character pieces
(``kj_search_bigrams``, enterprises 0020): the same firms, since a two-character part
occurs in a column exactly when it is one of the column's pieces (case folded by
``upper`` on both sides, as ``icontains`` does).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.db import connection, models
from django.db.models import F, Func, Q, Value

#: The columns searched, in the order ``kj_search_bigrams`` takes them.
COLUMNS = ("name", "name_en", "uscc")


class SearchBigrams(Func):
    """The upper-cased two-character pieces of a firm's searched columns (its index's
    expression: the planner matches the call with the index)."""

    function = "kj_search_bigrams"
    output_field = ArrayField(models.TextField())


class UpperPiece(Func):
    """``ARRAY[UPPER(part)]``: the searched part, folded as the index's pieces are."""

    template = "ARRAY[UPPER(%(expressions)s)]"
    output_field = ArrayField(models.TextField())


def name_or_code_q(part: str, prefix: str = "") -> Q:
    """Firms with ``part`` in their name, English name or credit code (case ignored);
    ``prefix`` is the path to the enterprise (``"enterprise__"``) from another model."""
    if len(part) == 2 and connection.vendor == "postgresql":
        pieces = SearchBigrams(*(F(prefix + column) for column in COLUMNS))
        return Q(DataContains(pieces, UpperPiece(Value(part, output_field=models.TextField()))))
    return Q(
        *(Q(**{f"{prefix}{column}__icontains": part}) for column in COLUMNS),
        _connector=Q.OR,
    )
