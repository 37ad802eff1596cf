"""A real Celery worker (a subprocess) is killed with SIGKILL during a list import; a fresh
worker runs the same import again and the result equals one clean run.

The worker consumes a queue of its own (``CELERY_IMPORTS_QUEUE``) on the pytest-django
test database, and is told apart from other clients by its ``application_name``. Waits
poll the database against a deadline; nothing here measures speed.
"""

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from ecosystem.core.uscc import validate_uscc
from ecosystem.registries import analysis, services
from ecosystem.registries.models import ImportRowError, ListImport, RegistryEntry
from ecosystem.registries.tasks import run_list_import
from tests.factories import ProgramFactory, RegistryOfficerFactory
from tests.integration.processes import backends, wait_for
from tests.worlds.registry_files import csv_bytes, rows_for

BATCH = "2026年第一批"

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def official_list(n: int) -> tuple[bytes, dict[str, list], dict[int, str]]:
    """A list of ``n`` rows where every 997th code has a wrong check character and every
    1999th row repeats the row above; returns (file, {uscc: row} expected, {row: code})."""
    rows = rows_for(n, batch=BATCH)
    for i in range(0, n, 997):
        code = rows[i][1]
        rows[i][1] = code[:-1] + ("0" if code[-1] != "0" else "1")
    for i in range(1000, n, 1999):
        rows[i][1] = rows[i - 1][1]
    expected, errors = {}, {}
    for file_row, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            code = validate_uscc(row[1])
        except ValidationError as exc:
            errors[file_row] = exc.code
            continue
        if code in expected:
            errors[file_row] = "duplicate"
            continue
        expected[code] = row
    assert errors and len(expected) + len(errors) == n
    return csv_bytes(rows), expected, errors


def job_state(pk: int) -> ListImport:
    return ListImport.objects.get(pk=pk)


def mid_import(pk: int) -> ListImport | None:
    """Running, two progress steps in: a run that committed anything in steps would have."""
    job = job_state(pk)
    running = job.status == ListImport.Status.RUNNING
    return job if running and job.processed_rows >= 2 * services.PROGRESS_EVERY else None


def upload_and_confirm(monkeypatch, program, content: bytes) -> ListImport:
    """Upload and confirm through the services; the on-commit enqueue is captured so the
    test sends the task to its own queue itself."""
    officer = RegistryOfficerFactory(program=program)
    # Read while the upload waits (not by a worker), and then let the run read the file
    # itself instead of loading the preview's cleaned copy: the reading is what these
    # tests kill.
    monkeypatch.setattr(django_settings, "LIST_INLINE_READ_BYTES", 2**40)
    job = services.list_import_upload(
        actor=officer, program=program, batch=BATCH, upload=SimpleUploadedFile("名单.csv", content)
    )
    analysis.forget(job)
    enqueued = []
    with monkeypatch.context() as patch:
        # Queued through the outbox, which sends with apply_async after commit.
        patch.setattr(run_list_import, "apply_async", lambda args: enqueued.extend(args))
        services.list_import_confirm(list_import=job, actor=officer)
    assert enqueued == [job.pk]
    assert job_state(job.pk).status == ListImport.Status.QUEUED
    return job


def enqueue(job: ListImport, queue: str) -> None:
    run_list_import.apply_async(args=[job.pk], queue=queue)


def entries_of(program) -> list[tuple]:
    return list(
        RegistryEntry.objects.filter(program=program)
        .order_by("uscc")
        .values_list("batch", "uscc", "name", "year", "valid_until", "region", "status")
    )


def errors_of(job: ListImport) -> list[tuple]:
    return list(
        ImportRowError.objects.filter(list_import=job)
        .order_by("row_number")
        .values_list("row_number", "code", "uscc")
    )


def assert_one_clean_run(job: ListImport, expected: dict, errors: dict, total: int) -> None:
    job.refresh_from_db()
    assert job.status == ListImport.Status.SUCCEEDED, job.message
    entries = RegistryEntry.objects.filter(program=job.program)
    codes = list(entries.values_list("uscc", flat=True))
    assert not entries.exclude(batch=BATCH).exists()
    assert len(codes) == len(set(codes)) == len(expected)  # no duplicate, no lost row
    assert set(codes) == set(expected)
    assert dict(entries.values_list("uscc", "name")) == {
        code: row[2] for code, row in expected.items()
    }
    assert not entries.exclude(status=RegistryEntry.Status.CURRENT).exists()
    assert not entries.exclude(first_import=job, last_import=job).exists()
    assert {row: code for row, code, _ in errors_of(job)} == errors
    assert (job.total_rows, job.processed_rows) == (total, total)
    assert (job.valid_rows, job.error_rows) == (len(expected), len(errors))
    assert (job.inserted, job.updated, job.unchanged, job.withdrawn) == (len(expected), 0, 0, 0)
    assert job.valid_rows + job.error_rows == job.total_rows
    assert job.finished_at is not None and job.phase == ""


def test_worker_killed_while_reading_then_a_rerun_equals_one_clean_run(queue, workers, monkeypatch):
    rows = 150_000
    content, expected, errors = official_list(rows)
    program = ProgramFactory()
    job = upload_and_confirm(monkeypatch, program, content)

    first = workers()
    enqueue(job, queue)
    wait_for(lambda: mid_import(job.pk), "the import to be running, rows processed", [first])
    first.kill()
    after_kill = job_state(job.pk)
    assert after_kill.status == ListImport.Status.RUNNING, (
        f"the import ended ({after_kill.status}) before the worker was killed; the kill "
        "proved nothing. Make the list longer."
    )
    assert not RegistryEntry.objects.filter(program=program).exists()  # all or nothing
    assert not ImportRowError.objects.filter(list_import=job).exists()

    second = workers()
    enqueue(job, queue)  # the service restarts a job left RUNNING by a dead worker
    wait_for(lambda: job_state(job.pk).is_finished, "the rerun to finish", [second])
    assert_one_clean_run(job, expected, errors, rows)


def test_worker_killed_inside_the_final_transaction_leaves_nothing_and_a_rerun_equals_a_clean_run(  # noqa: E501
    queue, workers, monkeypatch
):
    """The worker is held inside the import's final transaction, after the entries are
    written and before the commit (its row-error insert waits on a lock this test holds),
    and killed there. The dead session rolls back; the rerun matches a clean run of the
    same file for another program."""
    rows = 30_000
    content, expected, errors = official_list(rows)
    program = ProgramFactory()
    job = upload_and_confirm(monkeypatch, program, content)
    worker = workers()
    params = connection.get_connection_params()
    for key in ("cursor_factory", "context", "prepare_threshold", "server_side_binding"):
        params.pop(key, None)
    blocker = psycopg.connect(**params)
    try:
        blocker.execute("LOCK TABLE registries_importrowerror IN ACCESS EXCLUSIVE MODE")
        enqueue(job, queue)
        stuck = wait_for(
            lambda: backends(worker.app_name, waiting_in='INSERT INTO "registries_importrowerror"'),
            "the worker to wait on the row-error table inside its transaction",
            [worker],
        )
        assert job_state(job.pk).phase == "loading"
        worker.kill()
        assert not RegistryEntry.objects.filter(program=program).exists()
    finally:
        blocker.rollback()  # the dead session's INSERT proceeds, then finds no client
        blocker.close()
    wait_for(
        lambda: not set(stuck) & set(backends(worker.app_name)),
        "the killed worker's session to end",
    )
    assert not RegistryEntry.objects.filter(program=program).exists()  # rolled back
    assert not ImportRowError.objects.filter(list_import=job).exists()
    assert job_state(job.pk).status == ListImport.Status.RUNNING

    rerun = workers()
    enqueue(job, queue)
    wait_for(lambda: job_state(job.pk).is_finished, "the rerun to finish", [rerun])
    assert_one_clean_run(job, expected, errors, rows)

    other = ProgramFactory()
    clean = upload_and_confirm(monkeypatch, other, content)
    enqueue(clean, queue)
    wait_for(lambda: job_state(clean.pk).is_finished, "the clean run to finish", [rerun])
    assert_one_clean_run(clean, expected, errors, rows)
    assert entries_of(program) == entries_of(other)
    assert errors_of(job) == errors_of(clean)


def test_a_redelivered_message_for_a_finished_import_changes_nothing(require_postgres, monkeypatch):
    """acks_late: a message whose worker died is delivered again later, possibly after a
    rerun finished the import; running a finished import again is a no-op."""
    content, expected, errors = official_list(3_000)
    program = ProgramFactory()
    job = upload_and_confirm(monkeypatch, program, content)
    services.list_import_run(import_id=job.pk)
    before = (entries_of(program), errors_of(job), job_state(job.pk).finished_at)
    again = services.list_import_run(import_id=job.pk)
    assert again.status == ListImport.Status.SUCCEEDED
    assert (entries_of(program), errors_of(job), again.finished_at) == before
    assert_one_clean_run(job, expected, errors, 3_000)
