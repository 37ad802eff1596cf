"""Figure helpers every dashboard shares: money sums, percentages, the review ageing
buckets. One definition each, so the bank, zone and platform pages and their APIs and
exports agree to the cent and the bucket."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal

from ecosystem.core.amounts import Money
from ecosystem.core.workdays import working_days_between

CENT = Decimal("0.01")
#: Review ageing buckets, in working days since submission.
AGEING_BUCKETS = ("0-2", "3-5", "6-10", ">10")


def money(value) -> Money:
    """A sum of money in yuan with two decimals (0.00 for no rows): PostgreSQL sums keep
    the column's scale and SQLite's do not, so exports would otherwise differ by backend.
    Marked as ``Money``, so dashboard cells show it by the money rule."""
    return Money((value if value is not None else Decimal("0")).quantize(CENT))


def share(part: int, whole: int | None) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def ageing_bucket(age: int) -> str:
    return "0-2" if age <= 2 else "3-5" if age <= 5 else "6-10" if age <= 10 else ">10"


def ageing(waiting_since: Iterable[date], *, today: date) -> dict[str, int]:
    """How many items wait in each bucket (every bucket present, zero when empty)."""
    counts = Counter(ageing_bucket(working_days_between(day, today)) for day in waiting_since)
    return {bucket: counts.get(bucket, 0) for bucket in AGEING_BUCKETS}


def ageing_of_days(days: Mapping[date, int], *, today: date) -> dict[str, int]:
    """``ageing`` of items counted per waiting day ({day: items}, as the zones' review
    backlog is kept: ``enterprises.waiting``)."""
    from ecosystem.core.workdays import _warn_of_uncovered_years, calendar_overrides

    # The calendar read once for every day (a cache read each otherwise: hundreds of days
    # nationally), the missing years warned of as each day's count would.
    overrides = calendar_overrides()
    before = [day for day in days if day < today]
    if before:
        _warn_of_uncovered_years(min(before), today, overrides)
    counts: Counter = Counter()
    for day, n in days.items():
        counts[ageing_bucket(working_days_between(day, today, overrides))] += n
    return {bucket: counts.get(bucket, 0) for bucket in AGEING_BUCKETS}


def ageing_counts(queryset, *, since: str, today: date, group: str | None = None):
    """``ageing`` counted in SQL: how many rows of ``queryset`` wait in each bucket, their
    waiting day being the local date of the column ``since`` (one grouped query; the
    buckets' edges are local midnights, ``review.queue.aged_since``). With ``group``, a
    dict of such bucket dicts per value of that column."""
    from django.db.models import Count, Q

    from ecosystem.enterprises.review.queue import aged_since

    edges = {}
    for name, days in (("ge3", 3), ("ge6", 6), ("ge11", 11)):
        cutoff = aged_since(today, days)
        edges[name] = Count("pk", filter=Q(**{f"{since}__lt": cutoff}))
    rows = queryset.order_by()
    rows = (
        rows.values(group).annotate(n=Count("pk"), **edges)
        if group
        else [rows.aggregate(n=Count("pk"), **edges)]
    )

    def buckets(r) -> dict[str, int]:
        return dict(
            zip(
                AGEING_BUCKETS,
                (r["n"] - r["ge3"], r["ge3"] - r["ge6"], r["ge6"] - r["ge11"], r["ge11"]),
                strict=True,
            )
        )

    if group is None:
        return buckets(rows[0])
    return {r[group]: buckets(r) for r in rows}


class Lazy(Mapping):
    """A dict whose values are computed on first read (``{name: thunk}``): a dashboard's
    export reads the one table it writes, not every figure of the page."""

    def __init__(self, thunks: dict[str, Callable[[], object]]):
        self._thunks, self._values = thunks, {}

    def __getitem__(self, name: str):
        if name not in self._values:
            self._values[name] = self._thunks[name]()
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._thunks)

    def __len__(self) -> int:
        return len(self._thunks)
