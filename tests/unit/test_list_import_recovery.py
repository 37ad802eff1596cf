"""Imports whose worker died are queued again; the entry table keeps its program integrity."""

import time
from datetime import UTC, datetime, timedelta
from unittest import mock

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from ecosystem.registries import services, stalled, tasks
from ecosystem.registries.models import ListImport, RegistryEntry
from tests.factories import ProgramFactory, make_uscc

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's locks and triggers"
)


def _job(program, *, status=ListImport.Status.RUNNING, heartbeat=None) -> ListImport:
    return ListImport.objects.create(
        program=program,
        batch="2026年第一批",
        original_name="list.csv",
        sha256="0" * 64,
        file_format="csv",
        status=status,
        heartbeat_at=heartbeat,
    )


@pytest.fixture
def frozen():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


@pytest.fixture
def delayed():
    with mock.patch.object(tasks.run_list_import, "apply_async") as delay:
        yield delay


def test_a_running_import_silent_for_too_long_is_queued_again_and_a_live_one_is_not(
    frozen, delayed, django_capture_on_commit_callbacks
):
    program = ProgramFactory()
    dead = _job(program, heartbeat=frozen - timedelta(minutes=11))
    live = _job(program, heartbeat=frozen - timedelta(minutes=2))
    finished = _job(
        program, status=ListImport.Status.SUCCEEDED, heartbeat=frozen - timedelta(hours=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.requeue_stalled_imports()
    assert queued == [dead.pk]
    delayed.assert_called_once_with(args=[dead.pk])
    dead.refresh_from_db()
    assert dead.status == ListImport.Status.QUEUED
    assert dead.heartbeat_at == frozen
    for job, status in ((live, ListImport.Status.RUNNING), (finished, "succeeded")):
        job.refresh_from_db()
        assert job.status == status


def test_a_requeued_import_is_not_queued_again_until_it_goes_silent_again(
    frozen, delayed, django_capture_on_commit_callbacks
):
    job = _job(ProgramFactory(), heartbeat=frozen - timedelta(minutes=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert stalled.list_imports_requeue_stalled() == [job.pk]
    ListImport.objects.filter(pk=job.pk).update(status=ListImport.Status.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        assert stalled.list_imports_requeue_stalled() == []
    assert delayed.call_count == 1


def test_progress_is_the_heartbeat(frozen):
    job = _job(ProgramFactory(), heartbeat=frozen - timedelta(hours=1))
    services._progress(job.pk, processed_rows=10)
    job.refresh_from_db()
    assert (job.heartbeat_at, job.processed_rows) == (frozen, 10)


def test_the_beat_schedule_runs_the_sweep(settings):
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "ecosystem.registries.tasks.requeue_stalled_imports" in names


def _wait_until_lock_released(import_id: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND classid = %s AND objid = %s AND objsubid = 2",
                [services.RUN_LOCK_NAMESPACE, import_id],
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.02)
    raise AssertionError("the closed connection's advisory lock was never released")


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_silent_import_whose_run_lock_is_held_is_left_alone(frozen, delayed):
    job = _job(ProgramFactory(), heartbeat=frozen - timedelta(minutes=30))
    params = connection.get_connection_params()
    for key in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(key, None)
    with psycopg.connect(**params, autocommit=True) as other:  # a live run elsewhere
        other.execute("SELECT pg_advisory_lock(%s, %s)", [services.RUN_LOCK_NAMESPACE, job.pk])
        assert stalled.list_imports_requeue_stalled() == []
    # Its connection is gone. The server drops the lock when that backend has exited, a
    # moment after the client closed the socket: wait for that, not for a fixed time.
    _wait_until_lock_released(job.pk)
    assert stalled.list_imports_requeue_stalled() == [job.pk]
    delayed.assert_called_once_with(args=[job.pk])


@on_postgres
def test_an_entry_must_name_an_existing_program():
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistryEntry.objects.create(program_id=987654, batch="b", uscc=make_uscc(1), name="x")
    entry = RegistryEntry.objects.create(
        program=ProgramFactory(), batch="b", uscc=make_uscc(2), name="x"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistryEntry.objects.filter(pk=entry.pk).update(program_id=987654)


@on_postgres
def test_a_program_with_entries_cannot_be_deleted_even_in_sql():
    program = ProgramFactory()
    RegistryEntry.objects.create(program=program, batch="b", uscc=make_uscc(3), name="x")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM registries_program WHERE id = %s", [program.pk])
    empty = ProgramFactory()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registries_program WHERE id = %s", [empty.pk])
    assert not type(program).objects.filter(pk=empty.pk).exists()
