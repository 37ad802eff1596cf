"""The zone dashboards' enterprise figures kept as rows: each enterprise's lifecycle stage
(declared basis) and whether it holds a verified qualification (``EnterpriseSummary``),
and per zone how many are in each stage and verified (``ZoneSummary``), so the zone and
platform dashboards read a row per zone instead of computing the stage of every
enterprise on today's date and counting verified enterprises over the claims.

How it stays exact (``docs/summary-tables.md``):

- **One home**: :func:`summary_sync` recomputes the rows of the enterprises it is given
  from their founding date, zone, latest declared year and verified claims (the rule is
  ``stage.stage_of``, the date it next changes ``stage.stage_until``) and moves the zones'
  counts by the difference, in the caller's transaction, under a per-enterprise lock.
  Every service that changes one of those facts calls it: a year saved
  (``financial_year_save``), the profile's founding date or zone (``enterprise_update``),
  a claim entering or leaving ``verified`` (``claim_transition``).
- **The date**: a row's stage is right until ``stage_until``. The nightly beat task
  ``refresh-enterprise-stages`` (:func:`stages_refresh`) syncs the rows whose day came;
  until it has run, the dashboards correct the few rows past their day
  (:func:`stage_counts`), so the figures equal a recount on any day.
- **Bulk writes** past the services: ``manage.py rebuild_summaries`` (:func:`rebuild`),
  ``--check`` and the nightly check (:func:`drift`: ``enterprise_summary``,
  ``zone_summary``).
"""

from __future__ import annotations

from collections import Counter, namedtuple
from datetime import date

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from ecosystem.core import events
from ecosystem.core.db import add_rows, figure_rows
from ecosystem.core.drift import table_drift
from ecosystem.enterprises.lifecycle import LifecycleStage
from ecosystem.enterprises.models import (
    Enterprise,
    EnterpriseSummary,
    FinancialYear,
    QualificationClaim,
    ZoneSummary,
)
from ecosystem.enterprises.stage import Basis, stage_of, stage_until
from ecosystem.enterprises.workflow import ClaimStatus

STAGES = tuple(stage.value for stage in LifecycleStage)
#: ``ZoneSummary`` columns: a count per stage, and the verified enterprises.
FIGURES = (*STAGES, "verified")
ZONES = ZoneSummary._meta.db_table
#: First key of the PostgreSQL advisory lock a sync holds per enterprise ("KJ" + 2).
SYNC_LOCK_NAMESPACE = 0x4B4A02
#: Enterprises read per query by the recount.
CHUNK = 5000

#: (zone id, stage or blank without figures, stage_until, verified): one enterprise's row.
Row = namedtuple("Row", "zone_id stage stage_until verified")
_Founded = namedtuple("_Founded", "pk founded_on")
_Figures = namedtuple("_Figures", "revenue employees")


def row_of(*, zone_id: int, founded_on, figures, verified: bool, on: date) -> Row | None:
    """The row of one enterprise on ``on``: None when it has no declared figures and no
    verified claim (a start-up on any day, counted as registered less the rows)."""
    if figures is None:
        return Row(zone_id, "", None, True) if verified else None
    stage = stage_of(_Founded(None, founded_on), basis=Basis.DECLARED, on=on, figures=figures)
    until = stage_until(
        founded_on=founded_on, on=on, revenue=figures.revenue, employees=figures.employees
    )
    return Row(zone_id, stage.stage.value, until, verified)


def _rows(enterprises, years, verified, on: date) -> dict[int, Row | None]:
    """Rows of ``enterprises`` ((id, zone id, founded_on) triples), given ``years``
    (id, year, revenue, employees) in any order and the ids with a verified claim."""
    latest: dict[int, tuple] = {}
    for enterprise_id, year, revenue, employees in years:
        if enterprise_id not in latest or year > latest[enterprise_id][0]:
            latest[enterprise_id] = (year, _Figures(revenue, employees))
    return {
        pk: row_of(
            zone_id=zone_id,
            founded_on=founded_on,
            figures=latest[pk][1] if pk in latest else None,
            verified=pk in verified,
            on=on,
        )
        for pk, zone_id, founded_on in enterprises
    }


def _facts(*, ids=None, id_range=None) -> tuple:
    """The enterprises of ``ids`` or of the inclusive ``id_range``, their declared years
    and the ids among them with a verified claim (three queries)."""
    if ids is not None:
        on_pk, on_enterprise = {"pk__in": ids}, {"enterprise_id__in": ids}
    else:
        low, high = id_range
        on_pk = {"pk__gte": low, "pk__lte": high}
        on_enterprise = {"enterprise_id__gte": low, "enterprise_id__lte": high}
    enterprises = Enterprise.objects.filter(**on_pk).values_list("pk", "zone_id", "founded_on")
    years = FinancialYear.objects.filter(**on_enterprise).values_list(
        "enterprise_id", "year", "revenue", "employees"
    )
    verified = (
        QualificationClaim.objects.filter(status=ClaimStatus.VERIFIED, **on_enterprise)
        .values_list("enterprise_id", flat=True)
        .distinct()
    )
    return list(enterprises.order_by()), list(years.order_by()), set(verified.order_by())


def rows_now(enterprise_ids, *, on: date) -> dict[int, Row | None]:
    """What the rows of ``enterprise_ids`` should be on ``on`` (three queries)."""
    return _rows(*_facts(ids=list(enterprise_ids)), on)


def contribution(row: Row | None) -> Counter:
    """What one row adds to the zones' counts: {(zone id, figure): 1}."""
    out: Counter = Counter()
    if row is not None:
        if row.stage:
            out[(row.zone_id, row.stage)] += 1
        if row.verified:
            out[(row.zone_id, "verified")] += 1
    return out


def _lock(ids: list[int]) -> None:
    """Serialise syncs of one enterprise: the second reads the facts the first committed."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for pk in ids:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SYNC_LOCK_NAMESPACE, pk])


def summary_sync(*, enterprise_ids, on: date | None = None) -> int:
    """Recompute the rows of ``enterprise_ids`` on ``on`` (today) and move their zones'
    counts by the difference, in the caller's transaction. Returns the rows changed."""
    ids = sorted(set(enterprise_ids))
    if not ids:
        return 0
    on = on or timezone.localdate()
    with transaction.atomic():
        _lock(ids)
        new = rows_now(ids, on=on)
        old = {
            row[0]: Row(*row[1:])
            for row in EnterpriseSummary.objects.filter(pk__in=ids).values_list(
                "pk", "zone_id", "stage", "stage_until", "verified"
            )
        }
        changes: Counter = Counter()
        upsert, gone = [], []
        for pk in ids:
            before, after = old.get(pk), new.get(pk)
            if before == after:
                continue
            changes.subtract(contribution(before))
            changes.update(contribution(after))
            if after is None:
                gone.append(pk)
            else:
                upsert.append(EnterpriseSummary(enterprise_id=pk, **after._asdict()))
        if gone:
            EnterpriseSummary.objects.filter(pk__in=gone).delete()
        if upsert:
            EnterpriseSummary.objects.bulk_create(
                upsert,
                update_conflicts=True,
                unique_fields=["enterprise"],
                update_fields=["zone", "stage", "stage_until", "verified"],
            )
        zones_apply(changes)
        if upsert or gone:  # the ecosystem page's cells follow (``financing``)
            events.publish(
                events.ENTERPRISE_SUMMARY_CHANGED,
                enterprise_ids=sorted([row.enterprise_id for row in upsert] + gone),
            )
    return len(upsert) + len(gone)


def zones_apply(changes: Counter) -> None:
    """Add ``{(zone id, figure): change}`` to the zones' rows, in zone order."""
    with connection.cursor() as cursor:
        add_rows(cursor, ZONES, ("zone_id",), FIGURES, figure_rows(changes, FIGURES))


def stages_refresh(*, on: date | None = None, chunk: int = 2000) -> int:
    """The nightly move: sync every row whose stage changes by ``on`` (today) with the
    date alone, a chunk per transaction. Returns how many rows were synced."""
    on = on or timezone.localdate()
    done = 0
    while True:
        ids = list(
            EnterpriseSummary.objects.filter(stage_until__lte=on)
            .order_by("pk")
            .values_list("pk", flat=True)[:chunk]
        )
        if not ids:
            return done
        summary_sync(enterprise_ids=ids, on=on)
        done += len(ids)


# ---- reading --------------------------------------------------------------------------


def stages_on(enterprise_ids, *, on: date) -> dict[int, str]:
    """{id: stage on ``on``} of ``enterprise_ids`` (those without figures: start-ups);
    three queries. The read-time correction of rows past their ``stage_until``."""
    now = rows_now(enterprise_ids, on=on)
    return {
        pk: row.stage if row and row.stage else LifecycleStage.STARTUP.value
        for pk, row in ((pk, now.get(pk)) for pk in enterprise_ids)
    }


def _stale_changes(on: date, zone_id: int | None) -> Counter:
    """{(zone id, stage): change} that takes the rows whose stage changed with the date
    since they were written (``stage_until`` reached, the nightly move not yet run) to
    their stage on ``on``; one indexed query, two more only when there are such rows."""
    stale = EnterpriseSummary.objects.filter(stage_until__lte=on)
    if zone_id is not None:
        stale = stale.filter(zone_id=zone_id)
    stale = list(stale.values_list("pk", "zone_id", "stage"))
    changes: Counter = Counter()
    if not stale:
        return changes
    now = stages_on([pk for pk, _zone, _stage in stale], on=on)
    for pk, zone, stage in stale:
        changes[(zone, stage)] -= 1
        changes[(zone, now[pk])] += 1
    return changes


def stage_counts(*, zone_id: int, registered: int, on: date) -> dict[str, int]:
    """The zone's enterprises per lifecycle stage on ``on`` (stages with none left out),
    as ``stage.with_declared_stage`` counts them: the zone's row, corrected for rows past
    their ``stage_until``; the enterprises without figures are start-ups."""
    row = ZoneSummary.objects.filter(zone_id=zone_id).values(*STAGES).first() or {}
    counts = Counter({stage: row.get(stage, 0) for stage in STAGES})
    for (_zone, stage), change in _stale_changes(on, zone_id).items():
        counts[stage] += change
    counts[LifecycleStage.STARTUP.value] += registered - sum(counts.values())
    return {stage: counts[stage] for stage in STAGES if counts[stage]}


def verified_by_zone() -> dict[int, int]:
    """{zone id: enterprises with a verified qualification} (zones with none left out)."""
    return dict(ZoneSummary.objects.filter(verified__gt=0).values_list("zone_id", "verified"))


def verified_in(*, zone_id: int | None = None) -> int:
    """Enterprises with a verified qualification, in one zone or in all."""
    zones = ZoneSummary.objects.all()
    if zone_id is not None:
        zones = zones.filter(zone_id=zone_id)
    return zones.aggregate(n=Sum("verified"))["n"] or 0


# ---- recount, rebuild, drift -----------------------------------------------------------


def recount(*, on: date | None = None) -> tuple[dict, dict]:
    """Both tables as the facts make them on ``on`` (today): ({enterprise id: Row},
    {zone id: (startup, growth, maturity, verified)}), rows counting nothing left out.
    Reads the enterprises by ranges of ids, three queries per ``CHUNK``."""
    on = on or timezone.localdate()
    enterprises: dict[int, Row] = {}
    low = 0
    while True:
        ids = list(
            Enterprise.objects.filter(pk__gte=low)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            break
        facts = _facts(id_range=(ids[0], ids[-1]))
        enterprises.update((pk, row) for pk, row in _rows(*facts, on).items() if row is not None)
        low = ids[-1] + 1
    zones: Counter = Counter()
    for row in enterprises.values():
        zones.update(contribution(row))
    by_zone: dict[int, list] = {}
    for (zone_id, name), n in zones.items():
        by_zone.setdefault(zone_id, [0] * len(FIGURES))[FIGURES.index(name)] += n
    return enterprises, {k: tuple(v) for k, v in by_zone.items() if any(v)}


def stored() -> tuple[dict, dict]:
    """Both tables as they are, zone rows counting nothing left out."""
    enterprises = {
        row[0]: Row(*row[1:])
        for row in EnterpriseSummary.objects.values_list(
            "pk", "zone_id", "stage", "stage_until", "verified"
        ).iterator(chunk_size=20000)
    }
    zones = {
        row[0]: tuple(row[1:])
        for row in ZoneSummary.objects.values_list("zone_id", *FIGURES)
        if any(row[1:])
    }
    return enterprises, zones


def drift(*, on: date | None = None) -> dict:
    """How the stored tables differ from a recount on ``on`` (as
    ``financing.summary_recount.summaries_drift``): keys ``enterprise_summary``,
    ``zone_summary``."""
    return table_drift(("enterprise_summary", "zone_summary"), recount(on=on), stored())


def rebuild(*, on: date | None = None) -> dict:
    """Replace both tables by a recount, in one transaction (no sync lands between)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {EnterpriseSummary._meta.db_table}, {ZONES}")
        EnterpriseSummary.objects.all().delete()
        ZoneSummary.objects.all().delete()
        enterprises, zones = recount(on=on)
        EnterpriseSummary.objects.bulk_create(
            (
                EnterpriseSummary(enterprise_id=pk, **row._asdict())
                for pk, row in enterprises.items()
            ),
            batch_size=5000,
        )
        ZoneSummary.objects.bulk_create(
            ZoneSummary(zone_id=zone_id, **dict(zip(FIGURES, row, strict=True)))
            for zone_id, row in zones.items()
        )
    return {"enterprise_summary_rows": len(enterprises), "zone_summary_rows": len(zones)}
