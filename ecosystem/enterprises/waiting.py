"""The review backlog kept as counters (``ZoneClaimsWaiting``): per zone and local day
(Asia/Shanghai) of ``COALESCE(submitted_at, created_at)``, how many qualification claims
await a decision (``workflow.AWAITING_DECISION``), so the zone and platform dashboards
read a few hundred rows instead of joining every waiting claim with its enterprise's zone.
"Over the zone's target" and the ageing buckets are "waiting since before a local
midnight" (``review.queue.aged_since``): a sum over the days before it.

How it stays exact (``docs/summary-tables.md``):

- **One home**: :func:`waiting_sync` recounts the waiting claims of the enterprises it is
  given, per (zone, day), compares with what they added last (``ClaimsWaitingMember``)
  and moves the zone rows by the difference, in the caller's transaction, under a lock
  per bucket of enterprise ids (``core.bucket_locks``).
- **Who calls it**: ``claim_transition`` when a claim enters or leaves the waiting
  statuses or is submitted again (every status move of a claim, the registry's automatic
  verification included, goes through it; a new claim is a draft), and
  ``enterprise_update`` when the enterprise's zone changes.
- **Bulk writes** past the services (the demo's back-dated submissions, a world's COPY):
  :func:`rebuild`, run by ``manage.py rebuild_summaries`` (``--waiting`` alone);
  ``--check`` and the nightly check compare with a recount (:func:`drift`:
  ``claims_waiting_members``, ``claims_waiting_zones``).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from ecosystem.core import races
from ecosystem.core.bucket_locks import bucket_lock
from ecosystem.core.db import add_rows, tables_replaced
from ecosystem.core.drift import table_drift
from ecosystem.enterprises.models import ClaimsWaitingMember, QualificationClaim, ZoneClaimsWaiting
from ecosystem.enterprises.workflow import AWAITING_DECISION

ZONES = ZoneClaimsWaiting._meta.db_table
MEMBERS = ClaimsWaitingMember._meta.db_table
#: First key of the PostgreSQL advisory locks a sync holds per bucket of ids ("KJ" + 5).
SYNC_LOCK_NAMESPACE = 0x4B4A05


def _counted(claims) -> Counter:
    """{(enterprise id, zone id, day): waiting claims} of ``claims`` (one grouped query;
    the day in the current time zone, Asia/Shanghai)."""
    rows = (
        claims.filter(status__in=AWAITING_DECISION)
        .annotate(day=TruncDate(Coalesce("submitted_at", "created_at")))
        .order_by()
        .values_list("enterprise_id", "enterprise__zone_id", "day")
        .annotate(n=Count("pk"))
    )
    return Counter({(pk, zone_id, day): n for pk, zone_id, day, n in rows.iterator()})


def waiting_sync(*, enterprise_ids) -> int:
    """Recount the waiting claims of ``enterprise_ids`` and move the zone rows by the
    difference from what they added last, in the caller's transaction. Returns the
    member rows that changed."""
    ids = sorted(set(enterprise_ids))
    if not ids:
        return 0
    with transaction.atomic(savepoint=False):
        bucket_lock(ids, namespace=SYNC_LOCK_NAMESPACE)
        now = _counted(QualificationClaim.objects.filter(enterprise_id__in=ids))
        before = Counter(
            {
                (pk, zone_id, day): n
                for pk, zone_id, day, n in ClaimsWaitingMember.objects.filter(
                    enterprise_id__in=ids
                ).values_list("enterprise_id", "zone_id", "day", "claims")
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
        ClaimsWaitingMember.objects.filter(enterprise_id__in=ids).delete()
        ClaimsWaitingMember.objects.bulk_create(
            ClaimsWaitingMember(enterprise_id=pk, zone_id=zone_id, day=day, claims=n)
            for (pk, zone_id, day), n in sorted(now.items())
        )
        zones_apply(changes)
    return len(set(now.items()) ^ set(before.items()))


def zones_apply(changes: dict) -> None:
    """Add ``{(zone id, day): claims}`` to the zone rows in key order (one upsert), then
    drop the rows of those keys left at zero (days no claim waits since)."""
    rows = sorted((key, n) for key, n in changes.items() if n)
    if not rows:
        return
    with connection.cursor() as cursor:
        add_rows(cursor, ZONES, ("zone_id", "day"), ("claims",), [(k, (n,)) for k, n in rows])
    for zone_id in {zone_id for (zone_id, _day), _n in rows}:
        days = [day for (z, day), _n in rows if z == zone_id]
        ZoneClaimsWaiting.objects.filter(zone_id=zone_id, day__in=days, claims=0).delete()


# ---- what the dashboards read -------------------------------------------------------------


def zone_days() -> list[tuple[int, date, int]]:
    """Every zone row as ``(zone id, day, claims)``: the platform's backlog per zone and
    its ageing per day both add these up (:func:`waiting_by_zone`, :func:`days_of`), one
    query for both."""
    return list(ZoneClaimsWaiting.objects.order_by().values_list("zone_id", "day", "claims"))


def waiting_by_zone(
    *, cutoffs: dict[int, date | None], rows: list[tuple] | None = None
) -> dict[int, tuple[int, int]]:
    """{zone id: (claims waiting, of which waiting since before ``cutoffs[zone]``)} from
    the zone rows (``rows``: :func:`zone_days`, read when not given). A cutoff is a local
    day (the claims waiting since a day before it are over the target); None counts every
    claim over; a zone without a cutoff has none over."""
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


# ---- recount, drift, rebuild ----------------------------------------------------------------


def recount() -> tuple[dict, dict]:
    """Both tables as the claims make them: ({(enterprise id, day): (zone id, claims)},
    {(zone id, day): claims})."""
    members, zones = {}, Counter()
    for (pk, zone_id, day), n in _counted(QualificationClaim.objects.all()).items():
        members[pk, day] = (zone_id, n)
        zones[zone_id, day] += n
    return members, {key: n for key, n in zones.items() if n}


def stored() -> tuple[dict, dict]:
    """Both tables as they are, zone rows at zero left out."""
    members = {
        (pk, day): (zone_id, n)
        for pk, day, zone_id, n in ClaimsWaitingMember.objects.values_list(
            "enterprise_id", "day", "zone_id", "claims"
        ).iterator(chunk_size=20_000)
    }
    zones = {
        (zone_id, day): n
        for zone_id, day, n in ZoneClaimsWaiting.objects.values_list("zone_id", "day", "claims")
        if n
    }
    return members, zones


def drift() -> dict:
    """How the stored tables differ from a recount (``summary_recount.summaries_drift``):
    keys ``claims_waiting_members``, ``claims_waiting_zones``."""
    return table_drift(("claims_waiting_members", "claims_waiting_zones"), recount(), stored())


def rebuild() -> dict:
    """Replace both tables by a recount, in one transaction under their locks (no sync
    lands between)."""
    with tables_replaced(ClaimsWaitingMember, ZoneClaimsWaiting):
        members, zones = recount()
        ClaimsWaitingMember.objects.bulk_create(
            (
                ClaimsWaitingMember(enterprise_id=pk, day=day, zone_id=zone_id, claims=n)
                for (pk, day), (zone_id, n) in members.items()
            ),
            batch_size=5000,
        )
        ZoneClaimsWaiting.objects.bulk_create(
            ZoneClaimsWaiting(zone_id=zone_id, day=day, claims=n)
            for (zone_id, day), n in zones.items()
        )
    return {"claims_waiting_member_rows": len(members), "claims_waiting_zone_rows": len(zones)}
