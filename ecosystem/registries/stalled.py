"""Imports whose worker died: found by a heartbeat that stopped, and queued again."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ecosystem.core.outbox import send_after_commit
from ecosystem.registries.models import ListImport


def _run_lock_held(import_id: int) -> bool:
    """Whether some session holds the run lock of ``list_import_run`` (PostgreSQL only):
    a live run holds it, and a killed worker's lock goes with its connection."""
    from ecosystem.registries.running import RUN_LOCK_NAMESPACE

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND classid = %s AND objid = %s AND objsubid = 2)",
            [RUN_LOCK_NAMESPACE, import_id],
        )
        return cursor.fetchone()[0]


def list_imports_requeue_stalled(*, stalled_for: timedelta | None = None) -> list[int]:
    """Queue again every running import whose heartbeat has not moved for ``stalled_for``
    (``LIST_IMPORT_STALLED_MINUTES``, 10 by default) and whose run lock nobody holds.

    A run's progress updates are its heartbeat. Without this, an import whose worker was
    killed shows "running" until the broker redelivers its message (Redis's visibility
    timeout, an hour). Requeueing a run that is in fact alive is harmless (the run lock
    makes the second run return at once), but the lock check avoids it on PostgreSQL.
    Returns the ids queued.
    """
    from ecosystem.registries.tasks import run_list_import

    if stalled_for is None:
        stalled_for = timedelta(minutes=getattr(settings, "LIST_IMPORT_STALLED_MINUTES", 10))
    now = timezone.now()
    candidates = ListImport.objects.filter(
        status=ListImport.Status.RUNNING, heartbeat_at__lt=now - stalled_for
    ).values_list("pk", flat=True)
    queued = _reread_stalled(now, stalled_for)
    for pk in candidates:
        if _run_lock_held(pk):
            continue
        with transaction.atomic():
            changed = ListImport.objects.filter(
                pk=pk, status=ListImport.Status.RUNNING, heartbeat_at__lt=now - stalled_for
            ).update(status=ListImport.Status.QUEUED, phase="", heartbeat_at=now)
            if changed:
                send_after_commit(run_list_import, pk)
                queued.append(pk)
    return queued


def _reread_stalled(now, stalled_for: timedelta) -> list[int]:
    """Large lists whose reading stopped (the worker died): read them again."""
    from ecosystem.registries.tasks import read_list_import

    queued = []
    for pk in ListImport.objects.filter(
        status=ListImport.Status.ANALYSING, heartbeat_at__lt=now - stalled_for
    ).values_list("pk", flat=True):
        with transaction.atomic():
            if ListImport.objects.filter(
                pk=pk, status=ListImport.Status.ANALYSING, heartbeat_at__lt=now - stalled_for
            ).update(heartbeat_at=now):
                send_after_commit(read_list_import, pk)
                queued.append(pk)
    return queued
