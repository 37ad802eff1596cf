"""The zone official's review queue: claims and yearly figures awaiting a human in the
official's zones, with their ageing in working days against each zone's target.

The queue is read a page at a time: its order (oldest first) comes from one SQL
``UNION ALL`` of the claims' and the years' ``(waiting since, kind, id)`` sorted in the
database, its size and the number overdue from counts; only the page's objects are
loaded. Ageing is in working days (the official calendar), which SQL does not know, but
it only grows as the waiting day gets older: "at least N working days old" is "waiting
since before a day" (``aged_since``), which SQL compares. At national size the platform
admin's queue holds a hundred thousand items (see docs/slow-pages.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, IntegerField, Q, Value
from django.utils import timezone

from ecosystem.accounts.scope import scope_of
from ecosystem.core.workdays import working_days_between
from ecosystem.enterprises import waiting
from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
from ecosystem.zones.models import Zone

CLAIM, YEAR = 0, 1  # the kinds' order at the same waiting time: claims first
KINDS = {CLAIM: "claim", YEAR: "financial_year"}


@dataclass(frozen=True)
class QueueItem:
    kind: str  # "claim" or "financial_year"
    obj: object
    waiting_since: object
    age_working_days: int
    target_days: int

    @property
    def overdue(self) -> bool:
        return self.age_working_days > self.target_days


def _zone_filter(user) -> Q:
    """The official's zones; nothing to filter for an admin who sees every zone (the
    filter would only add a join over every row).

    The zones' enterprise ids come from the index ``enterprise_zone_ids`` and are
    matched against the awaiting items' own partial indexes on the enterprise
    (``claim_awaiting_enterprise``, ``year_awaiting_enterprise``), rather than a join
    reading each enterprise's row for its zone (20,000 rows a zone nationally)."""
    scope = scope_of(user)
    if scope.admin_may("view_all"):
        return Q()
    zone_firms = Enterprise.objects.filter(zone_id__in=sorted(scope.zone_ids)).values("pk")
    return Q(enterprise_id__in=zone_firms)


def _zone_ids(user) -> list[int] | None:
    """The official's zones, None for an admin who sees every zone."""
    scope = scope_of(user)
    return None if scope.admin_may("view_all") else sorted(scope.zone_ids)


def _search(q: str) -> Q:
    return Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q) if q else Q()


def claims_awaiting_review(*, user, program=None, status=None, q: str = ""):
    claims = QualificationClaim.objects.filter(
        _zone_filter(user), _search(q), waiting.CLAIMS.awaiting
    ).select_related("enterprise", "enterprise__zone", "program")
    if program:
        claims = claims.filter(program=program)
    if status:
        claims = claims.filter(status=status)
    return claims.annotate(waiting_since=waiting.CLAIMS.since).order_by("waiting_since", "pk")


def years_awaiting_review(*, user, q: str = ""):
    years = FinancialYear.objects.filter(
        _zone_filter(user), _search(q), waiting.YEARS.awaiting
    ).select_related("enterprise", "enterprise__zone")
    return years.annotate(waiting_since=waiting.YEARS.since).order_by("waiting_since", "pk")


def aged_since(today, days: int) -> datetime | None:
    """The moment before which an item waiting since then is at least ``days`` working
    days old on ``today`` (None: every item is). Ageing counts from the waiting day in
    Asia/Shanghai, so the moment is a local midnight."""
    if days <= 0:
        return None
    day = today - timedelta(days=days)  # at most ``days`` working days back
    while working_days_between(day, today) < days:
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class ReviewQueue:
    """The filtered queue, lazily: ``len()`` and ``overdue_count()`` count in SQL (an
    official's unfiltered years from the counters of ``enterprises.waiting``), a slice
    (what ``Paginator`` takes) loads that page only; iterating loads everything."""

    def __init__(self, *, user, program=None, status=None, kind="", q="", min_age=None, today=None):
        self.today = today or timezone.localdate()
        self.claims = self.years = None
        if kind in ("", "claim"):
            self.claims = claims_awaiting_review(user=user, program=program, status=status, q=q)
        if kind in ("", "financial_year") and not program and not status:
            self.years = years_awaiting_review(user=user, q=q)
        cutoff = aged_since(self.today, min_age or 0)
        if cutoff is not None:
            if self.claims is not None:
                self.claims = self.claims.filter(waiting_since__lt=cutoff)
            if self.years is not None:
                self.years = self.years.filter(waiting_since__lt=cutoff)
        self.sources = {
            kind: qs for kind, qs in ((CLAIM, self.claims), (YEAR, self.years)) if qs is not None
        }
        # An official's unfiltered claims: the review backlog's members (per firm and
        # waiting day, ``enterprises.waiting``) tell which firms hold the first claims
        # and how many are over the target, once they agree with the claims' count.
        self.zone_ids = _zone_ids(user)
        self.members_used = (
            self.claims is not None
            and self.zone_ids is not None
            and not (program or status or q or cutoff)
        )
        # An official's unfiltered years: counted per zone and waiting day
        # (``enterprises.waiting.YEARS``), each zone against its own target. Trusted
        # without a recount (:meth:`_kept_years`).
        self.kept_years = self.years is not None and self.zone_ids is not None and not (q or cutoff)
        self._counts: dict[int, int] = {}
        self._members = None
        self._year_rows = None
        self._cutoffs = None

    def _count_of(self, kind: int) -> int:
        if kind not in self._counts:
            if kind == YEAR and self.kept_years:
                self._counts[kind] = sum(n for _zone, _day, n in self._kept_years())
            else:
                self._counts[kind] = self.sources[kind].count()
        return self._counts[kind]

    def _zone_cutoffs(self) -> dict:
        """{zone id: the local day before which its items are over its target} of the
        official's zones (``waiting.over_target_day``)."""
        if self._cutoffs is None:
            zones = Zone.objects.filter(pk__in=self.zone_ids).values_list(
                "pk", "review_target_days"
            )
            self._cutoffs = {pk: waiting.over_target_day(self.today, days) for pk, days in zones}
        return self._cutoffs

    def _kept_years(self) -> list[tuple]:
        """``(zone id, day, years awaiting review since that day)`` of the official's
        zones, the rows kept per zone and waiting day (a few per zone: not the 20,000
        years of a national zone). No count checks them: it would read
        the very years this saves reading, and no cheaper read proves them. They are
        kept in the transaction of every write of a year's status, its waiting time or
        its firm's zone (``waiting_sync``, under the bucket lock), as the dashboards'
        counters are; a write past the services is what ``rebuild_summaries --check``
        and the nightly check report, and ``--waiting`` repairs."""
        if self._year_rows is None:
            self._year_rows = waiting.zone_rows_of(waiting.YEARS, zone_ids=self.zone_ids)
        return self._year_rows

    def count(self) -> int:
        return sum(self._count_of(kind) for kind in self.sources)

    __len__ = count

    def _agreeing_members(self) -> list | None:
        """The members of the official's zones, oldest day first, when they name as many
        claims as the zones' waiting claims count; None otherwise (not an unfiltered
        official's queue, or members drifted from their claims: written past the
        services, until ``rebuild_summaries --waiting``)."""
        if not self.members_used:
            return None
        if self._members is None:
            rows = waiting.members_by_day(zone_ids=self.zone_ids)
            agree = sum(row[-1] for row in rows) == self._count_of(CLAIM)
            self._members = rows if agree else []
        return self._members or None

    def overdue_count(self) -> int:
        """Items older than their zone's target: one count per source, with a term per
        distinct target (no join to the zones when every zone has the same); an
        official's unfiltered claims from the members, each zone against its own
        target."""
        sources = dict(self.sources)
        n = 0
        members = self._agreeing_members()
        if members is not None:
            del sources[CLAIM]
            cutoffs = self._zone_cutoffs()
            n += sum(
                claims
                for _firm, zone_id, day, claims in members
                if cutoffs.get(zone_id) is None or day < cutoffs[zone_id]
            )
        if self.kept_years:
            del sources[YEAR]
            rows = self._kept_years()  # each zone against its own target
            by_zone = waiting.waiting_by_zone(cutoffs=self._zone_cutoffs(), rows=rows)
            n += sum(over for _n, over in by_zone.values())
        if not sources:
            return n
        targets = set(Zone.objects.values_list("review_target_days", flat=True).distinct())
        overdue = Q(pk__in=[])
        for target in targets:
            cutoff = aged_since(self.today, target + 1)
            at = Q(enterprise__zone__review_target_days=target) if len(targets) > 1 else Q()
            overdue |= at if cutoff is None else at & Q(waiting_since__lt=cutoff)
        return n + sum(qs.filter(overdue).count() for qs in sources.values())

    def _keys(self, offset: int, limit: int | None) -> list[tuple[int, int]]:
        """(kind, id) of the items at ``offset``, in queue order, sorted by PostgreSQL.

        Each source is sorted and cut at ``offset + limit`` on its own (its partial index
        on the waiting time, ``claim_awaiting_queue`` / ``year_awaiting_queue``, reads
        only those rows), then the two short lists are merged: a sort over the whole
        ``UNION ALL`` would read every item of the queue for each page."""
        parts, params = [], []
        for kind, qs in self.sources.items():
            if limit is not None and kind == CLAIM and self._agreeing_members() is not None:
                qs = self._first_claims(qs, offset + limit)
            keys = qs.annotate(
                kind=Value(kind, output_field=IntegerField()), key=F("pk")
            ).values_list("waiting_since", "kind", "key")
            if limit is not None:
                keys = keys.order_by("waiting_since", "pk")[: offset + limit]
            else:
                keys = keys.order_by()
            try:
                sql, part_params = keys.query.sql_with_params()
            except EmptyResultSet:  # a filter that matches nothing (no zones, say)
                continue
            parts.append(f"SELECT * FROM ({sql}) AS source_{kind}")  # noqa: S608
            params.extend(part_params)
        if not parts:
            return []
        union = " UNION ALL ".join(parts)  # the querysets' own SQL; values are params
        sql = f"SELECT kind, key FROM ({union}) AS queue"  # noqa: S608
        sql += " ORDER BY waiting_since, kind, key"
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        if offset:
            sql += " OFFSET %s"
            params.append(offset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _first_claims(self, claims, n: int):
        """``claims`` narrowed to the firms and days that hold the zones' first ``n``
        waiting claims, found in the review backlog's members (``ClaimsWaitingMember``:
        per firm and waiting day): the first ``n`` are read from those firms' own index
        entries, not by walking every zone's waiting claims in time order and checking
        each one's zone (15,000 claims for one page nationally; an admin's queue, every zone,
        has no zone to check). The members agree with the zones' count of claims
        (``_agreeing_members``) and, up to that day, with the claims they name; otherwise
        ``claims`` is left as it was."""
        rows = self._agreeing_members()
        upto, last = 0, None
        for _firm, _zone, day, count in rows:
            if upto >= n and day != last:
                break
            upto, last = upto + count, day
        firms = sorted({firm for firm, _zone, day, _count in rows if day <= last})
        bound = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
        narrowed = claims.filter(enterprise_id__in=firms, waiting_since__lt=bound)
        return narrowed if narrowed.count() == upto else claims

    def keys(self) -> list[tuple[int, int]]:
        """(kind, id) of every item, in queue order."""
        return self._keys(0, None)

    def _items(self, offset: int, limit: int | None) -> list[QueueItem]:
        return self.items_of(self._keys(offset, limit))

    def items_of(self, keys: list[tuple[int, int]]) -> list[QueueItem]:
        """The items of ``keys`` (from ``keys()``), loaded and aged, in that order."""
        loaded = {
            kind: self.sources[kind].in_bulk([pk for k, pk in keys if k == kind])
            for kind in self.sources
        }
        return [self._item(KINDS[kind], loaded[kind][pk]) for kind, pk in keys]

    def _item(self, kind: str, obj) -> QueueItem:
        since = obj.waiting_since
        age = working_days_between(timezone.localtime(since).date(), self.today)
        return QueueItem(kind, obj, since, age, obj.enterprise.zone.review_target_days)

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValueError("no step")
            start = index.start or 0
            limit = None if index.stop is None else max(0, index.stop - start)
            return self._items(start, limit)
        items = self._items(index, 1)
        if not items:
            raise IndexError(index)
        return items[0]

    def __iter__(self):
        return iter(self._items(0, None))


def review_queue(
    *,
    user,
    program=None,
    status=None,
    kind: str = "",
    q: str = "",
    min_age: int | None = None,
    today=None,
) -> ReviewQueue:
    """Claims and years awaiting a human in the official's zones, oldest first, with ageing
    in working days against each zone's target."""
    return ReviewQueue(
        user=user, program=program, status=status, kind=kind, q=q, min_age=min_age, today=today
    )
