"""The review backlog kept as counters: per zone and local day (Asia/Shanghai) an item
has waited since, how many qualification claims await a decision
(``workflow.AWAITING_DECISION``, waiting since ``COALESCE(submitted_at, created_at)``:
``ZoneClaimsWaiting``) and how many yearly figures await the zone's verification
(unverified, waiting since ``updated_at``: ``ZoneYearsWaiting``). The zone and platform
dashboards read the claims' rows, the official's review queue both, instead of joining
every waiting item with its enterprise's zone. "Over the zone's target" and the ageing
buckets are "waiting since before a local midnight" (``review.queue.aged_since``): a sum
over the days before it.

How it stays exact (``docs/summary-tables.md``):

- **One home**: :func:`waiting_sync` recounts the waiting items of the enterprises it is
  given, per kind (:data:`CLAIMS`, :data:`YEARS`) and (zone, day), compares with what
  they added last (``ClaimsWaitingMember``, ``YearsWaitingMember``) and moves the zone
  rows by the difference, in the caller's transaction, under a lock per bucket of
  enterprise ids (``core.bucket_locks``; one lock for both kinds).
- **Who calls it**: ``claim_transition`` when a claim enters or leaves the waiting
  statuses or is submitted again (every status move of a claim, the registry's automatic
  verification included, goes through it; a new claim is a draft); ``financial_year_save``
  (a year declared, or its figures changed: it is unverified again and waits since now)
  and ``financial_year_set_verification`` (the zone's decision, or a year set back to
  unverified) for the years; ``enterprise_update`` when the enterprise's zone changes
  (both kinds).
- **Bulk writes** past the services (the demo's seeded years and back-dated submissions,
  a world's COPY): :func:`rebuild`, run by ``manage.py rebuild_summaries`` (``--waiting``
  alone); ``--check`` and the nightly check compare with a recount (:func:`drift`:
  ``claims_waiting_members``, ``claims_waiting_zones``, ``years_waiting_members``,
  ``years_waiting_zones``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db import connection, models, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from ecosystem.core import races
from ecosystem.core.bucket_locks import bucket_lock
from ecosystem.core.db import add_rows, tables_replaced
from ecosystem.core.drift import table_drift
from ecosystem.enterprises.models import (
    ClaimsWaitingMember,
    FinancialYear,
    QualificationClaim,
    YearsWaitingMember,
    ZoneClaimsWaiting,
    ZoneYearsWaiting,
)
from ecosystem.enterprises.models.figures import VerificationStatus
from ecosystem.enterprises.workflow import AWAITING_DECISION


@dataclass(frozen=True)
class Backlog:
    """One kind of item awaiting a zone's decision, as its counters keep it."""

    name: str  # the count column of both tables, and the drift keys' first word
    model: type[models.Model]  # the items (each has an ``enterprise``)
    awaiting: Q  # those awaiting the zone's decision
    since: object  # the expression of the moment one started waiting
    zones: type[models.Model]  # per (zone, day): how many
    members: type[models.Model]  # per (enterprise, day): its zone and how many


CLAIMS = Backlog(
    "claims",
    QualificationClaim,
    Q(status__in=AWAITING_DECISION),
    Coalesce("submitted_at", "created_at"),
    ZoneClaimsWaiting,
    ClaimsWaitingMember,
)
YEARS = Backlog(
    "years",
    FinancialYear,
    Q(verification_status=VerificationStatus.UNVERIFIED),
    F("updated_at"),
    ZoneYearsWaiting,
    YearsWaitingMember,
)
BACKLOGS = (CLAIMS, YEARS)

#: First key of the PostgreSQL advisory locks a sync holds per bucket of ids ("KJ" + 5).
SYNC_LOCK_NAMESPACE = 0x4B4A05


def _counted(backlog: Backlog, items) -> Counter:
    """{(enterprise id, zone id, day): waiting items} of ``items`` (one grouped query;
    the day in the current time zone, Asia/Shanghai)."""
    rows = (
        items.filter(backlog.awaiting)
        .annotate(day=TruncDate(backlog.since))
        .order_by()
        .values_list("enterprise_id", "enterprise__zone_id", "day")
        .annotate(n=Count("pk"))
    )
    return Counter({(pk, zone_id, day): n for pk, zone_id, day, n in rows.iterator()})


def waiting_sync(*, enterprise_ids, backlogs: tuple[Backlog, ...] = BACKLOGS) -> int:
    """Recount the waiting items of ``enterprise_ids`` (of each of ``backlogs``: both kinds
    unless the caller changed only one) and move the zone rows by the difference from what
    they added last, in the caller's transaction. Returns the member rows that changed."""
    ids = sorted(set(enterprise_ids))
    if not ids:
        return 0
    changed = 0
    with transaction.atomic(savepoint=False):
        bucket_lock(ids, namespace=SYNC_LOCK_NAMESPACE)
        for backlog in backlogs:
            changed += _sync(backlog, ids)
    return changed


def _sync(backlog: Backlog, ids: list[int]) -> int:
    now = _counted(backlog, backlog.model.objects.filter(enterprise_id__in=ids))
    members = backlog.members.objects.filter(enterprise_id__in=ids)
    before = Counter(
        {
            (pk, zone_id, day): n
            for pk, zone_id, day, n in members.values_list(
                "enterprise_id", "zone_id", "day", backlog.name
            )
        }
    )
    races.race_window("waiting_sync")
    if now == before:
        return 0
    changes: Counter = Counter()
    for (_pk, zone_id, day), n in now.items():
        changes[zone_id, day] += n
    for (_pk, zone_id, day), n in before.items():
        changes[zone_id, day] -= n
    members.delete()
    backlog.members.objects.bulk_create(
        backlog.members(enterprise_id=pk, zone_id=zone_id, day=day, **{backlog.name: n})
        for (pk, zone_id, day), n in sorted(now.items())
    )
    zones_apply(changes, backlog=backlog)
    return len(set(now.items()) ^ set(before.items()))


def zones_apply(changes: dict, *, backlog: Backlog = CLAIMS) -> None:
    """Add ``{(zone id, day): items}`` to ``backlog``'s zone rows in key order (one
    upsert), then drop the rows of those keys left at zero (days nothing waits since)."""
    rows = sorted((key, n) for key, n in changes.items() if n)
    if not rows:
        return
    table = backlog.zones._meta.db_table
    with connection.cursor() as cursor:
        add_rows(cursor, table, ("zone_id", "day"), (backlog.name,), [(k, (n,)) for k, n in rows])
    for zone_id in {zone_id for (zone_id, _day), _n in rows}:
        days = [day for (z, day), _n in rows if z == zone_id]
        backlog.zones.objects.filter(zone_id=zone_id, day__in=days, **{backlog.name: 0}).delete()


# ---- what the dashboards read -------------------------------------------------------------


def zone_days() -> list[tuple[int, date, int]]:
    """Every zone row as ``(zone id, day, claims)``: the platform's backlog per zone and
    its ageing per day both add these up (:func:`waiting_by_zone`, :func:`days_of`), one
    query for both."""
    return list(ZoneClaimsWaiting.objects.order_by().values_list("zone_id", "day", "claims"))


def waiting_by_zone(
    *, cutoffs: dict[int, date | None], rows: list[tuple] | None = None
) -> dict[int, tuple[int, int]]:
    """{zone id: (items waiting, of which waiting since before ``cutoffs[zone]``)} from
    the zone rows (``rows``: the claims' :func:`zone_days`, read when not given; or
    :func:`zone_rows_of`). A cutoff is a local day (the items waiting since a day before
    it are over the target); None counts every item over; a zone without a cutoff has
    none over."""
    out: dict[int, list[int]] = {}
    for zone_id, day, claims in zone_days() if rows is None else rows:
        counts = out.setdefault(zone_id, [0, 0])
        counts[0] += claims
        if zone_id in cutoffs and (cutoffs[zone_id] is None or day < cutoffs[zone_id]):
            counts[1] += claims
    return {zone_id: (n, over) for zone_id, (n, over) in out.items()}


def days_of(rows: list[tuple]) -> dict[date, int]:
    """:func:`waiting_days` over every zone, from :func:`zone_days`' rows."""
    out: dict[date, int] = {}
    for _zone_id, day, claims in rows:
        out[day] = out.get(day, 0) + claims
    return out


def over_target_day(today: date, target_days: int) -> date | None:
    """The cutoff of ``waiting_by_zone`` for a zone whose review target is
    ``target_days``: over it is "waiting since before ``aged_since``'s local midnight"."""
    from ecosystem.enterprises.review.queue import aged_since  # (the queue imports us)

    cutoff = aged_since(today, target_days + 1)
    return None if cutoff is None else timezone.localdate(cutoff)


def waiting_days(*, zone_id: int | None = None) -> dict[date, int]:
    """{day: claims waiting since it} over every zone or one (the ageing buckets')."""
    rows = ZoneClaimsWaiting.objects.order_by()
    if zone_id is not None:
        rows = rows.filter(zone_id=zone_id)
    return {row["day"]: row["n"] for row in rows.values("day").annotate(n=Sum("claims"))}


def members_by_day(*, zone_ids) -> list[tuple[int, int, date, int]]:
    """(enterprise id, zone id, day, claims waiting since it) of ``zone_ids``, oldest
    day first (the review queue's first claims and its count over the target)."""
    rows = ClaimsWaitingMember.objects.filter(zone_id__in=zone_ids).order_by("day", "enterprise_id")
    return list(rows.values_list("enterprise_id", "zone_id", "day", "claims"))


def zone_rows_of(backlog: Backlog, *, zone_ids) -> list[tuple[int, date, int]]:
    """``(zone id, day, items)`` of ``backlog``'s rows of ``zone_ids`` (the review queue's
    years: their count and, by :func:`waiting_by_zone`, those over each zone's target)."""
    rows = backlog.zones.objects.filter(zone_id__in=zone_ids).order_by()
    return list(rows.values_list("zone_id", "day", backlog.name))


# ---- recount, drift, rebuild ----------------------------------------------------------------


def recount(backlog: Backlog = CLAIMS) -> tuple[dict, dict]:
    """``backlog``'s two tables as the items make them: ({(enterprise id, day): (zone id,
    items)}, {(zone id, day): items})."""
    members, zones = {}, Counter()
    for (pk, zone_id, day), n in _counted(backlog, backlog.model.objects.all()).items():
        members[pk, day] = (zone_id, n)
        zones[zone_id, day] += n
    return members, {key: n for key, n in zones.items() if n}


def stored(backlog: Backlog = CLAIMS) -> tuple[dict, dict]:
    """``backlog``'s two tables as they are, zone rows at zero left out."""
    rows = backlog.members.objects.values_list("enterprise_id", "day", "zone_id", backlog.name)
    members = {(pk, day): (zone_id, n) for pk, day, zone_id, n in rows.iterator(chunk_size=20_000)}
    zones = {
        (zone_id, day): n
        for zone_id, day, n in backlog.zones.objects.values_list("zone_id", "day", backlog.name)
        if n
    }
    return members, zones


def drift() -> dict:
    """How the stored tables differ from a recount (``summary_recount.summaries_drift``):
    keys ``claims_waiting_members``, ``claims_waiting_zones``, ``years_waiting_members``,
    ``years_waiting_zones``."""
    out = {}
    for backlog in BACKLOGS:
        names = (f"{backlog.name}_waiting_members", f"{backlog.name}_waiting_zones")
        out |= table_drift(names, recount(backlog), stored(backlog))
    return out


def rebuild(backlogs: tuple[Backlog, ...] = BACKLOGS) -> dict:
    """Replace the tables of ``backlogs`` by a recount, in one transaction under their
    locks (no sync lands between). Returns the rows written per table
    (``claims_waiting_member_rows``, ``claims_waiting_zone_rows``, and the years')."""
    out = {}
    with tables_replaced(*(m for b in backlogs for m in (b.members, b.zones))):
        for backlog in backlogs:
            members, zones = recount(backlog)
            backlog.members.objects.bulk_create(
                (
                    backlog.members(enterprise_id=pk, day=day, zone_id=zone_id, **{backlog.name: n})
                    for (pk, day), (zone_id, n) in members.items()
                ),
                batch_size=5000,
            )
            backlog.zones.objects.bulk_create(
                backlog.zones(zone_id=zone_id, day=day, **{backlog.name: n})
                for (zone_id, day), n in zones.items()
            )
            out[f"{backlog.name}_waiting_member_rows"] = len(members)
            out[f"{backlog.name}_waiting_zone_rows"] = len(zones)
    return out
