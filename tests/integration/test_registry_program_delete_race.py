"""A program is deleted while an import writes entries for it: whatever the order and the
isolation levels, no entry is left naming a program that is gone.

Two sessions of their own (psycopg, autocommit off): the deleter deletes the program in
REPEATABLE READ or SERIALIZABLE (READ COMMITTED as the control), the importer inserts
entries for it in READ COMMITTED (as Django runs) or REPEATABLE READ. Each order runs:

- the import commits while the delete waits on the program's row lock;
- the import commits after the deleter's snapshot, before its delete;
- the delete comes first and the import waits on it, or starts after it committed.

With migration 0005's key-share lock alone the first two orders under REPEATABLE READ and
SERIALIZABLE left the entries with no program: the delete trigger's check reads the
transaction's snapshot, which cannot see the import, and a row that was only locked is no
conflict. Migration 0006 makes the import leave a new version of the program row, so
that delete fails to serialize; its retry is refused by the delete trigger. Waits poll
``pg_blocking_pids`` against a deadline, never a fixed sleep.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.db import connection
from psycopg import IsolationLevel, errors

from ecosystem.registries.models import Program, RegistryEntry
from tests.factories import ProgramFactory, make_uscc
from tests.integration.processes import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RC, RR, SER = "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"
INSERT_ENTRIES = (
    "INSERT INTO registries_registryentry (program_id, batch, uscc, name, "
    "certificate_number, region, status, updated_at) "
    "VALUES (%(p)s, 'b', %(u1)s, 'x', '', '', 'current', now()), "
    "(%(p)s, 'b', %(u2)s, 'y', '', '', 'current', now())"
)
REFUSALS = (errors.SerializationFailure, errors.ForeignKeyViolation)


def session(isolation: str) -> psycopg.Connection:
    """A connection of its own to the test database whose transactions run at
    ``isolation``."""
    params = connection.get_connection_params()
    for key in ("cursor_factory", "context", "prepare_threshold", "server_side_binding"):
        params.pop(key, None)
    conn = psycopg.connect(**params, autocommit=False)
    conn.isolation_level = IsolationLevel[isolation.replace(" ", "_")]
    return conn


def attempt(conn: psycopg.Connection, sql: str, params) -> Exception | None:
    """Run one statement and commit; on a refusal roll back and return the error."""
    try:
        conn.execute(sql, params)
        conn.commit()
    except REFUSALS as exc:
        conn.rollback()
        return exc
    return None


def wait_until_blocked(waiting: psycopg.Connection, holder: psycopg.Connection) -> None:
    def blocked():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT %s = ANY(pg_blocking_pids(%s))",
                [holder.info.backend_pid, waiting.info.backend_pid],
            )
            return cursor.fetchone()[0]

    wait_for(blocked, "the second session to wait on the first one's lock")


def orphans() -> int:
    return RegistryEntry.objects.exclude(program_id__in=Program.objects.values("pk")).count()


def race(order: str, deleter_isolation: str, importer_isolation: str):
    """Run ``order``; return the program, the errors of (delete, import), the orphans."""
    program = ProgramFactory()
    delete_sql, delete_params = "DELETE FROM registries_program WHERE id = %s", [program.pk]
    entries = {"p": program.pk, "u1": make_uscc(1), "u2": make_uscc(2)}
    deleter, importer = session(deleter_isolation), session(importer_isolation)
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        if order == "import commits while the delete waits":
            importer.execute(INSERT_ENTRIES, entries)
            waiting = pool.submit(attempt, deleter, delete_sql, delete_params)
            wait_until_blocked(deleter, importer)
            import_error = attempt(importer, "SELECT 1", None)
            delete_error = waiting.result()
        elif order == "import commits inside the deleter's snapshot":
            deleter.execute("SELECT count(*) FROM registries_registryentry")  # the snapshot
            import_error = attempt(importer, INSERT_ENTRIES, entries)
            delete_error = attempt(deleter, delete_sql, delete_params)
        elif order == "import waits while the delete commits":
            deleter.execute(delete_sql, delete_params)
            waiting = pool.submit(attempt, importer, INSERT_ENTRIES, entries)
            wait_until_blocked(importer, deleter)
            delete_error = attempt(deleter, "SELECT 1", None)
            import_error = waiting.result()
        else:  # the delete commits inside the importer's snapshot
            importer.execute("SELECT count(*) FROM registries_program")  # the snapshot
            delete_error = attempt(deleter, delete_sql, delete_params)
            import_error = attempt(importer, INSERT_ENTRIES, entries)
    finally:
        for conn in (deleter, importer):  # a failed test leaves no statement waiting
            conn.cancel_safe()
        pool.shutdown(wait=True)
        deleter.close()
        importer.close()
    return program, delete_error, import_error, orphans()


IMPORT_FIRST = (
    "import commits while the delete waits",
    "import commits inside the deleter's snapshot",
)
DELETE_FIRST = (
    "import waits while the delete commits",
    "delete commits inside the importer's snapshot",
)


@pytest.mark.parametrize("importer_isolation", [RC, RR])
@pytest.mark.parametrize("deleter_isolation", [RR, SER, RC])
@pytest.mark.parametrize("order", IMPORT_FIRST)
def test_an_import_that_commits_first_keeps_its_program(
    require_postgres, order, deleter_isolation, importer_isolation
):
    program, delete_error, import_error, orphaned = race(
        order, deleter_isolation, importer_isolation
    )
    assert orphaned == 0
    assert import_error is None
    assert Program.objects.filter(pk=program.pk).exists()
    assert RegistryEntry.objects.filter(program=program).count() == 2
    # Read committed sees the import and refuses; a snapshot that cannot see it fails to
    # serialize, and the retry (a new snapshot) is refused like a foreign key's delete.
    expected = (
        errors.ForeignKeyViolation if deleter_isolation == RC else errors.SerializationFailure
    )
    assert isinstance(delete_error, expected), repr(delete_error)
    retry = session(deleter_isolation)
    try:
        again = attempt(retry, "DELETE FROM registries_program WHERE id = %s", [program.pk])
    finally:
        retry.close()
    assert isinstance(again, errors.ForeignKeyViolation), repr(again)
    assert Program.objects.filter(pk=program.pk).exists()


@pytest.mark.parametrize("importer_isolation", [RC, RR])
@pytest.mark.parametrize("deleter_isolation", [RR, SER, RC])
@pytest.mark.parametrize("order", DELETE_FIRST)
def test_an_import_after_the_delete_is_refused(
    require_postgres, order, deleter_isolation, importer_isolation
):
    program, delete_error, import_error, orphaned = race(
        order, deleter_isolation, importer_isolation
    )
    assert orphaned == 0
    assert delete_error is None
    assert not Program.objects.filter(pk=program.pk).exists()
    assert not RegistryEntry.objects.filter(program_id=program.pk).exists()
    # Read committed re-checks with a new snapshot (the program is gone); repeatable read
    # cannot lock or update a row a transaction it cannot see deleted.
    expected = (
        errors.ForeignKeyViolation if importer_isolation == RC else errors.SerializationFailure
    )
    assert isinstance(import_error, expected), repr(import_error)
