"""The ecosystem page's funnel kept as counters (``models.coverage.EcosystemCell``), so
the page and its exports read a row per (zone, lifecycle stage) instead of every
enterprise with its year, claims, financing row, offers and disbursements.

A cell holds, for the enterprises of one zone whose *stored* stage is its stage, what
``insights.coverage.enterprise_flags`` computes with every bank counted: how many there
are, how many are verified, matched, have a lead, an offer, a disbursement, and the yuan
offered (offers made or accepted, ``OFFERED_STATUSES``) and disbursed to them.

How it stays exact (``docs/summary-tables.md``):

- **One home**: :func:`ecosystem_sync` reads what the enterprises it is given add now from
  the rows the other summaries keep exact in the same transaction (their zone; their
  ``EnterpriseSummary``: stored stage, ``stage_until``, verified; their
  ``EnterpriseFinancing``: matched, lead, offer and disbursement counts and yuan), in one
  statement with what they added last (``EcosystemMember``), and moves the cells by the
  difference, under a lock per bucket of ids (``core.bucket_locks``).
- **Who calls it**: ``enterprise.changed`` (registration, profile and zone, claims,
  figures, placements: ``financing.apps``); ``enterprise.summary_changed`` (every change
  of an ``EnterpriseSummary`` row, the nightly stage move included); the enterprise
  funnel's moves (``funnel.enterprise_apply``: a lead, an offer, a disbursement;
  ``funnel.matched_changes_apply`` / ``matched_sync``: a rematch's "matched" flips).
- **The date**: a member's stage is right until its ``stage_until``; the page moves the
  few members past it to their stage on the day it reads (``insights.funnel_cells``),
  as the zone dashboard's stage counts do (``enterprises.summary.stage_counts``).
- **Bulk writes** past the services: :func:`rebuild` from the other summaries, run last by
  ``manage.py rebuild_summaries``; ``--check`` and the nightly check compare with a
  recount from the facts (``ecosystem_recount``).
"""

from __future__ import annotations

from collections import namedtuple
from decimal import Decimal

from django.db import connection, transaction

from ecosystem.core.bucket_locks import bucket_lock
from ecosystem.core.db import add_rows
from ecosystem.enterprises.lifecycle import LifecycleStage
from ecosystem.enterprises.models import EnterpriseSummary
from ecosystem.financing.members import members_store
from ecosystem.financing.models import EcosystemCell, EcosystemMember, EnterpriseFinancing

FIGURES = ("registered", "verified", "matched", "lead", "offer", "disbursed", "offered", "financed")
#: What one enterprise adds: its zone, stored stage and the day it ends, five flags, yuan.
Member = namedtuple(
    "Member", "zone_id stage stage_until verified matched lead offer disbursed offered financed"
)
MEMBER_COLUMNS = Member._fields
CELLS = EcosystemCell._meta.db_table
MEMBERS = EcosystemMember._meta.db_table
STARTUP = LifecycleStage.STARTUP.value
#: First key of the PostgreSQL advisory locks a sync holds per bucket of ids ("KJ" + 4).
SYNC_LOCK_NAMESPACE = 0x4B4A04
#: Enterprises read per statement.
CHUNK = 10_000
ZERO = Decimal("0.00")

#: A member as the enterprise ``e``'s summary rows make it (``Member``'s order): the one
#: rule, read by the sync and written whole by the rebuild.
MEMBER_SELECT = (
    "e.zone_id, COALESCE(NULLIF(s.stage, ''), %s), s.stage_until, "
    "COALESCE(s.verified, false), COALESCE(f.matched, false), COALESCE(f.leads, 0) > 0, "
    "COALESCE(f.offered, 0) > 0, COALESCE(f.disbursed, 0) > 0, "
    "COALESCE(f.offered_amount, 0), COALESCE(f.disbursed_amount, 0)"
)
MEMBER_FROM = (
    "FROM enterprises_enterprise e "
    f"LEFT JOIN {EnterpriseSummary._meta.db_table} s ON s.enterprise_id = e.id "
    f"LEFT JOIN {EnterpriseFinancing._meta.db_table} f ON f.enterprise_id = e.id "
)


def contribution(member: Member | None) -> dict[tuple, list]:
    """What one member adds: {(zone id, stage): the eight figures}."""
    if member is None:
        return {}
    flags = (member.verified, member.matched, member.lead, member.offer, member.disbursed)
    return {
        (member.zone_id, member.stage): [
            1,
            *(int(flag) for flag in flags),
            member.offered,
            member.financed,
        ]
    }


def add(changes: dict, contribution_: dict, sign: int) -> None:
    """Add ``sign`` × a contribution to ``changes`` ({key: eight figures})."""
    for key, figures in contribution_.items():
        row = changes.setdefault(key, [0] * 6 + [ZERO, ZERO])
        for i, value in enumerate(figures):
            row[i] += sign * value


def _member(row) -> Member | None:
    """The member of a row read by raw SQL (``Member``'s order), its yuan as ``Decimal``:
    SQLite (``make run``) returns a decimal column's value as a number."""
    if row[0] is None:
        return None
    *rest, offered, financed = row
    return Member(*rest, _yuan(offered), _yuan(financed))


def _yuan(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value)).quantize(ZERO)


def _now_and_before(ids: list[int]) -> tuple[dict, dict]:
    """({id: Member now}, {id: Member last added}) of ``ids``: one statement (one more
    when some of them are gone, to read what they added)."""
    marks = ", ".join(["%s"] * len(ids))
    columns = ", ".join(f"m.{c}" for c in MEMBER_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.id, {MEMBER_SELECT}, {columns} {MEMBER_FROM}"  # noqa: S608 - our names
            f"LEFT JOIN {MEMBERS} m ON m.enterprise_id = e.id WHERE e.id IN ({marks})",
            [STARTUP, *ids],
        )
        rows = cursor.fetchall()
    width = len(MEMBER_COLUMNS)
    now = {row[0]: _member(row[1 : 1 + width]) for row in rows}
    before = {row[0]: _member(row[1 + width :]) for row in rows}
    if len(rows) < len(ids):  # enterprises deleted: what they added goes
        missing = [pk for pk in ids if pk not in now]
        before |= {
            row[0]: Member(*row[1:])
            for row in EcosystemMember.objects.filter(pk__in=missing).values_list(
                "pk", *MEMBER_COLUMNS
            )
        }
    return now, before


def ecosystem_sync(*, enterprise_ids) -> int:
    """Recompute what ``enterprise_ids`` add to the cells and move the cells by the
    difference from what they added last, in the caller's transaction. Returns the
    enterprises whose contribution changed."""
    ids = sorted(set(enterprise_ids))
    if not ids:
        return 0
    changes: dict[tuple, list] = {}
    upsert, gone = [], []
    with transaction.atomic(savepoint=False):
        bucket_lock(ids, namespace=SYNC_LOCK_NAMESPACE)
        for start in range(0, len(ids), CHUNK):
            now, before = _now_and_before(ids[start : start + CHUNK])
            for pk in ids[start : start + CHUNK]:
                old, new = before.get(pk), now.get(pk)
                if old == new:
                    continue
                add(changes, contribution(old), -1)
                add(changes, contribution(new), 1)
                if new is None:
                    gone.append(pk)
                else:
                    upsert.append(EcosystemMember(enterprise_id=pk, **new._asdict()))
        members_store(EcosystemMember, gone=gone, upsert=upsert, update_fields=list(MEMBER_COLUMNS))
        cells_apply(changes)
    return len(upsert) + len(gone)


def cells_apply(changes: dict[tuple, list]) -> None:
    """Add ``{(zone id, stage): eight figures}`` to the cells, in key order, one
    statement."""
    rows = sorted((key, change) for key, change in changes.items() if any(change))
    with connection.cursor() as cursor:
        add_rows(cursor, CELLS, ("zone_id", "stage"), FIGURES, rows)


def enterprise_changed(*, enterprise_id: int) -> None:
    """``enterprise.changed``: a new enterprise, its zone, claims or figures."""
    ecosystem_sync(enterprise_ids=[enterprise_id])


def summary_changed(*, enterprise_ids) -> None:
    """``enterprise.summary_changed``: their stored stage or verified flag moved."""
    ecosystem_sync(enterprise_ids=enterprise_ids)


# ---- stored, rebuild -------------------------------------------------------------------


def stored() -> tuple[dict, dict]:
    """Both tables as they are ({enterprise id: Member}, {(zone id, stage): figures}),
    cells counting nothing left out."""
    members = {
        row[0]: Member(*row[1:])
        for row in EcosystemMember.objects.order_by()
        .values_list("pk", *MEMBER_COLUMNS)
        .iterator(chunk_size=20_000)
    }
    cells = {
        tuple(row[:2]): tuple(row[2:])
        for row in EcosystemCell.objects.values_list("zone_id", "stage", *FIGURES)
        if any(row[2:])
    }
    return members, cells


def rebuild() -> dict:
    """Replace both tables: every enterprise's member as its summary rows make it (run
    after those are rebuilt), the cells their sums; two statements, under the tables'
    locks (no sync lands between)."""
    columns = ", ".join(MEMBER_COLUMNS)
    sums = ", ".join(f"COUNT(CASE WHEN {n} THEN 1 END)" for n in FIGURES[1:6])
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {MEMBERS}, {CELLS}")
        cursor.execute(f"DELETE FROM {CELLS}")  # noqa: S608 - our names
        cursor.execute(f"DELETE FROM {MEMBERS}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {MEMBERS} (enterprise_id, {columns}) "  # noqa: S608
            f"SELECT e.id, {MEMBER_SELECT} {MEMBER_FROM}",
            [STARTUP],
        )
        members = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {CELLS} (zone_id, stage, {', '.join(FIGURES)}) "  # noqa: S608
            f"SELECT zone_id, stage, COUNT(*), {sums}, SUM(offered), SUM(financed) "
            f"FROM {MEMBERS} GROUP BY zone_id, stage"
        )
        cells = cursor.rowcount
    return {"ecosystem_member_rows": members, "ecosystem_cell_rows": cells}
