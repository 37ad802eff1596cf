"""Medians and percentiles of the leads' durations from the duration histograms
(``financing.LeadDuration``, ``ChainLeadDuration``) and their sums per breakdown
(``financing.LeadDurationRollup``), without a lead read.

A breakdown over every lead or a manager's banks reads its own rows of the rollup, in
the order of its unique index (no sort), each group's counts and values as two arrays
(:func:`order_statistics` finds the ranks); any other scope (a relationship
manager's branches, a product, a branch or a zone chosen) groups the whole histogram,
narrowed to the scope. Values travel as integers of micro-units (hours or seconds ×
10⁶, exact: the columns keep six decimals) and only the few order statistics a figure
needs become ``Decimal``.
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from collections.abc import Callable
from decimal import Decimal
from itertools import accumulate

from django.db import connection
from django.db.models import (
    BigIntegerField,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
)
from django.db.models.functions import Cast, Round

from ecosystem.financing.models import LeadDuration, LeadDurationRollup

K = LeadDuration.Kind
D = LeadDurationRollup.Dimension
#: Every bank (``LeadDurationRollup.within_bank``).
EVERY_BANK = 0
#: The value column read as micro-units.
MICRO_VALUE = "CAST(ROUND(value * 1000000) AS BIGINT)"
#: Breakdown name (``insights.summary.DIMENSIONS``) → rollup dimension; "bank" reads the
#: overall rows within each bank.
ROLLUP = {
    None: D.OVERALL,
    "bank": D.OVERALL,
    "product": D.PRODUCT,
    "branch": D.BRANCH,
    "zone": D.ZONE,
    "chain": D.CHAIN,
}


def as_decimal(micro: int) -> Decimal:
    """The exact value of ``micro`` micro-units."""
    return Decimal(micro).scaleb(-6)


def as_float(micro: int) -> float:
    """``float`` of the exact value (int / int is correctly rounded, as ``float(Decimal)``)."""
    return micro / 1_000_000


class Histogram:
    """Sorted values with their cumulative counts; the k-th value (0-based) without
    expanding them, converted by ``convert`` (values in micro-units: a ``Decimal``)."""

    def __init__(self, pairs=(), convert: Callable = as_decimal):
        self.values, self.ends, total = [], [], 0
        for value, count in pairs:
            if count:
                total += count
                self.values.append(value)
                self.ends.append(total)
        self.n = total
        self.convert = convert

    def nth(self, k: int):
        return self.convert(self.stored(k))

    def stored(self, k: int):
        """The k-th value as kept (micro-units), not converted (past the last: the last)."""
        return self.values[min(bisect_right(self.ends, k), len(self.values) - 1)]

    def median(self):
        """``statistics.median`` of the values."""
        n = self.n
        if n % 2:
            return self.nth(n // 2)
        return statistics.median([self.nth(n // 2 - 1), self.nth(n // 2)])

    def p90(self):
        """``statistics.quantiles(values, n=10, method="inclusive")[-1]`` (n ≥ 2)."""
        j, delta = divmod(9 * (self.n - 1), 10)
        return (self.nth(j) * (10 - delta) + self.nth(j + 1) * delta) / 10


ONE_DECIMAL = Decimal("0.1")


def hours_median_and_p90(histogram: Histogram) -> tuple[Decimal | None, Decimal | None]:
    """``insights.decision.median_and_p90`` over the histogram's values. Of values in
    micro-units (``as_decimal``), :meth:`Histogram.median` and :meth:`Histogram.p90` are
    worked out in integers of tenths of a micro-unit, exactly, and made one ``Decimal``
    each (3,000 groups a request for the admin's bank dashboard)."""
    n = histogram.n
    if not n:
        return None, None
    if histogram.convert is not as_decimal:
        median = Decimal(histogram.median()).quantize(ONE_DECIMAL)
        if n == 1:
            return median, median
        return median, Decimal(histogram.p90()).quantize(ONE_DECIMAL)
    at = histogram.stored
    # (a + b) / 2 = 5 (a + b) / 10; the p90 is (a (10 − δ) + b δ) / 10
    tenths = 10 * at(n // 2) if n % 2 else 5 * (at(n // 2 - 1) + at(n // 2))
    median = Decimal(tenths).scaleb(-7).quantize(ONE_DECIMAL)
    if n == 1:
        return median, median
    j, delta = divmod(9 * (n - 1), 10)
    tenths = at(j) * (10 - delta) + at(j + 1) * delta
    return median, Decimal(tenths).scaleb(-7).quantize(ONE_DECIMAL)


def _collect(rows) -> dict:
    """{(group, kind): Histogram} from (group, kind, micro value, count) rows sorted by
    group, kind and value."""
    out: dict = {}
    current, histogram = None, None
    for group, kind, value, count in rows:
        if (group, kind) != current:
            current = (group, kind)
            histogram = out[current] = Histogram()
        if count:
            histogram.n += count
            histogram.values.append(value)
            histogram.ends.append(histogram.n)
    return out


def histograms(queryset, group: str | None = None, kinds=()) -> dict:
    """{(group value, kind): Histogram} from the histogram rows of ``queryset`` (a
    ``LeadDuration`` or ``ChainLeadDuration`` queryset; ``group`` None: one group),
    grouped per value in SQL."""
    rows = queryset.filter(kind__in=kinds).annotate(micro=_micro())
    columns = [group] if group else []
    rows = (
        rows.values(*columns, "kind", "micro")
        .annotate(n=Sum("leads"))
        .order_by(*columns, "kind", "micro")
        .values_list(*columns, "kind", "micro", "n")
    )
    # Thousands of rows: read as plain tuples (the model layer's converters cost more
    # than the query).
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if not group:
        found = [(None, *row) for row in found]
    return _collect(found)


def _micro():
    return Cast(
        Round(ExpressionWrapper(F("value") * 1_000_000, output_field=DecimalField())),
        BigIntegerField(),
    )


def histogram_rows(queryset, columns: tuple[str, ...]) -> tuple[tuple, list[tuple]]:
    """``(columns, rows)``: the histogram rows of ``queryset`` as they are, each
    ``(*columns, kind, micro value, count)`` in the order of kind and value, for
    :func:`grouped_histograms` to group per breakdown without a query each. For a scope
    of few rows (one zone's)."""
    rows = queryset.annotate(micro=_micro()).values_list(*columns, "kind", "micro", "leads")
    sql, params = rows.order_by("kind", "micro").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return columns, cursor.fetchall()


def grouped_histograms(read: tuple[tuple, list[tuple]], group: str | None, kinds, groups=None):
    """What :func:`histograms` answers for ``group`` (a column of ``read``, None: one
    group) and ``kinds`` (with ``groups``, those only), from the rows
    :func:`histogram_rows` read: in value order already, so one pass adds the counts of
    equal values (counts are never negative: a value summing to 0 has none)."""
    columns, rows = read
    at = None if group is None else columns.index(group)
    kinds, wanted = set(kinds), None if groups is None else set(groups)
    out: dict = {}
    for row in rows:
        kind = row[-3]
        if kind not in kinds:
            continue
        value = None if at is None else row[at]
        if wanted is not None and (value is None or value not in wanted):
            continue  # as SQL's IN, which never holds for NULL
        histogram = out.get((value, kind))
        if histogram is None:
            histogram = out[(value, kind)] = Histogram()
        count = row[-1]
        if not count:
            continue
        histogram.n += count
        if histogram.values and histogram.values[-1] == row[-2]:
            histogram.ends[-1] = histogram.n
        else:
            histogram.values.append(row[-2])
            histogram.ends.append(histogram.n)
    return out


def rollup_banks(q: Q) -> tuple[int, ...] | None:
    """The banks whose leads ``q`` (``permissions.bank_leads_q``) selects, as the rollup
    keeps them: ``(EVERY_BANK,)`` for every lead, ``()`` for none; None when ``q``
    selects by anything else (branches): the rollup cannot answer it."""
    if q.negated:
        return None
    parts = []
    for child in q.children:
        if isinstance(child, Q):
            parts.append(rollup_banks(child))
        elif child == ("pk__isnull", False):
            parts.append((EVERY_BANK,))
        elif child[0] == "pk__in" and not child[1]:
            parts.append(())
        elif child[0] == "bank_id__in":
            parts.append(tuple(sorted(set(child[1]))))
        else:
            return None
    if any(part is None for part in parts):
        return None
    if not parts:
        return (EVERY_BANK,)
    if len(parts) > 1 and q.connector != Q.OR:
        return None  # an intersection: not read from the rollup
    if any(EVERY_BANK in part for part in parts):
        return (EVERY_BANK,)
    return tuple(sorted({bank for part in parts for bank in part}))


def rollup_histograms(banks: tuple[int, ...], dimension: str | None, kinds, groups=None):
    """{(group, kind): Histogram} of ``dimension`` ("bank", "product", "branch", "zone",
    "chain"; None: overall, one group None) over the leads of ``banks``
    (:func:`rollup_banks`), from ``LeadDurationRollup``; with ``groups``, those only."""
    if not banks:
        return {}
    table = LeadDurationRollup._meta.db_table
    where = ["dimension = %s", "kind = ANY(%s)"]
    params: list = [ROLLUP[dimension], list(kinds)]

    def among(column: str, ids) -> None:
        # an equality for one id, so the unique index gives the order
        ids = list(ids)
        where.append(f"{column} = %s" if len(ids) == 1 else f"{column} = ANY(%s)")
        params.append(ids[0] if len(ids) == 1 else ids)

    summed = False
    if dimension == "bank":
        key = "within_bank"
        where.append("group_key = 0")
        if banks == (EVERY_BANK,):
            where.append("within_bank <> 0")
        else:
            among("within_bank", banks)
        if groups is not None:
            among("within_bank", groups)
    else:
        key = "group_key" if dimension else "NULL"
        among("within_bank", banks)
        summed = len(banks) > 1  # a manager of several banks: their rows summed
        if groups is not None:
            among("group_key", groups)
    rows = (
        f"SELECT {'0' if key == 'NULL' else key} AS g, kind, value, "  # noqa: S608 - ours
        f"{'sum(leads)' if summed else 'leads'} AS leads FROM {table} "
        f"WHERE {' AND '.join(where)}"
    )
    if summed:
        rows += f" GROUP BY {'' if key == 'NULL' else key + ', '}kind, value"
    with connection.cursor() as cursor:
        cursor.execute(GROUPED_COUNTS.format(rows=rows), params)
        found = cursor.fetchall()
    out = {}
    for group, kind, counts, values in found:
        histogram = order_statistics(counts, values)
        if histogram is not None:
            out[(None if key == "NULL" else group, kind)] = histogram
    return out


#: Of each (group, kind) of ``rows`` (g, kind, value, leads): its counts and its values in
#: value order, the values as the text of a ``numeric`` array (only the few a figure reads
#: are converted: :func:`order_statistics`). The subquery sorts the rows (one bank's come
#: in the unique index's order: no sort) and the aggregate takes them in that order. One
#: pass and no window: the running sums and the ranks are Python's, over ~35 counts a
#: branch (two window sums and a rank filter over the 105,069 branch rows of every bank
#: took about twice as long nationally).
GROUPED_COUNTS = """
SELECT g, kind, array_agg(leads), array_agg(value)::text
FROM ({rows} ORDER BY g, kind, value) AS r
GROUP BY g, kind
"""


def order_statistics(counts: list[int], values: str) -> Histogram | None:
    """A :class:`Histogram` of only the values holding the ranks the median and the 90th
    percentile read (0-based: ⌊(n−1)/2⌋, ⌊n/2⌋, ⌊9(n−1)/10⌋ and the next) with their
    cumulative counts, from one group's ``counts`` in value order and its ``values`` (the
    text of a ``numeric`` array, ``{1.500000,2.000000}``); it answers ``nth`` for those
    ranks (the rows before a rank's row end at or before it). None for a group counting
    nothing."""
    ends = list(accumulate(counts))
    n = ends[-1] if ends else 0
    if n <= 0:
        return None
    top = 9 * (n - 1) // 10
    # the first row ending past each rank (a row counting nothing never is one)
    at = sorted(
        {bisect_right(ends, rank) for rank in ((n - 1) // 2, n // 2, top, min(top + 1, n - 1))}
    )
    texts = values[1:-1].split(",")
    histogram = Histogram()
    histogram.n = n
    histogram.values = [micro_of(texts[i]) for i in at]
    histogram.ends = [ends[i] for i in at]
    return histogram


def micro_of(text: str) -> int:
    """Micro-units of a ``numeric`` of at most six decimals written as PostgreSQL writes it
    (``-12.5``, ``3.250000``: never an exponent), exactly."""
    whole, _point, fraction = text.partition(".")
    return int(whole + fraction.ljust(6, "0"))
