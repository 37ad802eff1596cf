"""The verified enterprises per zone and program kept as counters (``ZoneProgramVerified``):
how many of a zone's enterprises hold a verified qualification claim of each program, so
the zone dashboard reads a row per program instead of joining the zone's 20,000
enterprises nationally with their verified claims (22-30 ms).

How it stays exact (``docs/summary-tables.md``):

- **One home**: :func:`verified_sync` recounts the verified programs of the enterprises it
  is given, compares with what they added last (``ProgramVerifiedMember``, a row per
  (enterprise, program) with the zone it was counted in) and moves the zone rows by the
  difference, in the caller's transaction, under a lock per bucket of enterprise ids
  (``core.bucket_locks``).
- **Who calls it**: ``claim_transition`` when a claim enters or leaves ``verified`` (every
  status move goes through it; a verified claim's program cannot change, only an
  editable one's), and ``enterprise_update`` when the enterprise's zone changes.
- **Bulk writes** past the services (the demo's seeded claims, a world's COPY):
  :func:`rebuild`, run by ``manage.py rebuild_summaries`` (``--verified-programs``
  alone); ``--check`` and the nightly check compare with a recount (:func:`drift`:
  ``verified_program_members``, ``verified_program_zones``).
"""

from __future__ import annotations

from collections import Counter

from django.db import connection, transaction

from ecosystem.core.bucket_locks import bucket_lock
from ecosystem.core.db import add_rows, tables_replaced
from ecosystem.core.drift import table_drift
from ecosystem.enterprises.models import (
    ProgramVerifiedMember,
    QualificationClaim,
    ZoneProgramVerified,
)
from ecosystem.enterprises.workflow import ClaimStatus

ZONES = ZoneProgramVerified._meta.db_table
MEMBERS = ProgramVerifiedMember._meta.db_table
#: First key of the PostgreSQL advisory locks a sync holds per bucket of ids ("KJ" + 6).
SYNC_LOCK_NAMESPACE = 0x4B4A06


def _verified(claims) -> set[tuple[int, int, int]]:
    """{(enterprise id, program id, zone id)} of ``claims`` that are verified: an
    enterprise once per program, however many verified claims of it (one query)."""
    rows = (
        claims.filter(status=ClaimStatus.VERIFIED)
        .order_by()
        .values_list("enterprise_id", "program_id", "enterprise__zone_id")
        .distinct()
    )
    return set(rows.iterator(chunk_size=20_000))


def verified_sync(*, enterprise_ids) -> int:
    """Recount the verified programs of ``enterprise_ids`` and move the zone rows by the
    difference from what they added last, in the caller's transaction. Returns the
    member rows added and removed."""
    ids = sorted(set(enterprise_ids))
    if not ids:
        return 0
    with transaction.atomic(savepoint=False):
        bucket_lock(ids, namespace=SYNC_LOCK_NAMESPACE)
        now = _verified(QualificationClaim.objects.filter(enterprise_id__in=ids))
        before = set(
            ProgramVerifiedMember.objects.filter(enterprise_id__in=ids).values_list(
                "enterprise_id", "program_id", "zone_id"
            )
        )
        if now == before:
            return 0
        changes: Counter = Counter()
        for _pk, program_id, zone_id in now - before:
            changes[zone_id, program_id] += 1
        for _pk, program_id, zone_id in before - now:
            changes[zone_id, program_id] -= 1
        ProgramVerifiedMember.objects.filter(enterprise_id__in=ids).delete()
        ProgramVerifiedMember.objects.bulk_create(
            ProgramVerifiedMember(enterprise_id=pk, program_id=program_id, zone_id=zone_id)
            for pk, program_id, zone_id in sorted(now)
        )
        zones_apply(changes)
    return len(now ^ before)


def zones_apply(changes: dict) -> None:
    """Add ``{(zone id, program id): enterprises}`` to the zone rows in key order (one
    upsert), then drop the rows of those keys left at zero."""
    rows = sorted((key, n) for key, n in changes.items() if n)
    if not rows:
        return
    with connection.cursor() as cursor:
        add_rows(
            cursor,
            ZONES,
            ("zone_id", "program_id"),
            ("enterprises",),
            [(key, (n,)) for key, n in rows],
        )
    for zone_id in {zone_id for (zone_id, _program), _n in rows}:
        programs = [program for (z, program), _n in rows if z == zone_id]
        ZoneProgramVerified.objects.filter(
            zone_id=zone_id, program_id__in=programs, enterprises=0
        ).delete()


# ---- what the dashboard reads -------------------------------------------------------------


def programs_of_zone(*, zone_id: int) -> list[dict]:
    """The zone's programs with a verified enterprise, by program code: ``program__code``,
    ``program__name_zh``, ``program__name_en``, ``enterprises`` (as the grouped count of
    the zone's verified claims gave them)."""
    return list(
        ZoneProgramVerified.objects.filter(zone_id=zone_id, enterprises__gt=0)
        .values("program__code", "program__name_zh", "program__name_en", "enterprises")
        .order_by("program__code")
    )


# ---- recount, drift, rebuild ----------------------------------------------------------------


def recount() -> tuple[dict, dict]:
    """Both tables as the claims make them: ({(enterprise id, program id): zone id},
    {(zone id, program id): enterprises})."""
    members, zones = {}, Counter()
    for pk, program_id, zone_id in _verified(QualificationClaim.objects.all()):
        members[pk, program_id] = zone_id
        zones[zone_id, program_id] += 1
    return members, dict(zones)


def stored() -> tuple[dict, dict]:
    """Both tables as they are, zone rows at zero left out."""
    members = {
        (pk, program_id): zone_id
        for pk, program_id, zone_id in ProgramVerifiedMember.objects.values_list(
            "enterprise_id", "program_id", "zone_id"
        ).iterator(chunk_size=20_000)
    }
    zones = {
        (zone_id, program_id): n
        for zone_id, program_id, n in ZoneProgramVerified.objects.values_list(
            "zone_id", "program_id", "enterprises"
        )
        if n
    }
    return members, zones


def drift() -> dict:
    """How the stored tables differ from a recount (``summary_recount.summaries_drift``):
    keys ``verified_program_members``, ``verified_program_zones``."""
    return table_drift(("verified_program_members", "verified_program_zones"), recount(), stored())


def rebuild() -> dict:
    """Replace both tables by a recount, in one transaction under their locks (no sync
    lands between)."""
    with tables_replaced(ProgramVerifiedMember, ZoneProgramVerified):
        members, zones = recount()
        ProgramVerifiedMember.objects.bulk_create(
            (
                ProgramVerifiedMember(enterprise_id=pk, program_id=program_id, zone_id=zone_id)
                for (pk, program_id), zone_id in members.items()
            ),
            batch_size=5000,
        )
        ZoneProgramVerified.objects.bulk_create(
            ZoneProgramVerified(zone_id=zone_id, program_id=program_id, enterprises=n)
            for (zone_id, program_id), n in zones.items()
        )
    return {
        "verified_program_member_rows": len(members),
        "verified_program_zone_rows": len(zones),
    }
