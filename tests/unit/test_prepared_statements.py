"""Statements prepared once per connection (``core.prepared``): the same rows as the plain
statement, one ``PREPARE`` per connection, and the plain statement elsewhere or when
turned off."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecosystem.core import prepared

pytestmark = pytest.mark.django_db

SQL = "SELECT %s + 1, CAST(%s AS DATE), CAST(%s AS DATE) + 1, %s * 2"


def test_placeholders_number_the_parameters():
    assert prepared.placeholders("a = %s AND b = %s OR c = %s", [1, 2, 1]) == (
        "a = $1 AND b = $2 OR c = $1"
    )
    with pytest.raises(ValueError):
        prepared.placeholders("a = %s", [1, 2])
    with pytest.raises(ValueError):
        prepared.placeholders("a LIKE 'x%%' AND b = %s", [1])


def run(value: int, day: date) -> tuple:
    with connection.cursor() as cursor:
        (rows,) = prepared.fetch_together(
            cursor, [(SQL, [value, day, day, value], [1, 2, 2, 1], [value, day])]
        )
        return tuple(rows[0])


def test_several_statements_in_one_round_trip():
    other = "SELECT %s * 10 UNION ALL SELECT %s * 100"
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        first, second, third = prepared.fetch_together(
            cursor,
            [
                (
                    SQL,
                    [2, date(2026, 5, 1), date(2026, 5, 1), 2],
                    [1, 2, 2, 1],
                    [2, date(2026, 5, 1)],
                ),
                (other, [3, 3], [1, 1], [3]),
                (
                    SQL,
                    [7, date(2026, 5, 2), date(2026, 5, 2), 7],
                    [1, 2, 2, 1],
                    [7, date(2026, 5, 2)],
                ),
            ],
        )
    assert [tuple(r) for r in first] == [plain(2, date(2026, 5, 1))]
    assert sorted(r[0] for r in second) == [30, 300]
    assert [tuple(r) for r in third] == [plain(7, date(2026, 5, 2))]
    executes = [q for q in queries.captured_queries if "EXECUTE" in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(executes) == 1  # one message for the three


def plain(value: int, day: date) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(SQL, [value, day, day, value])
        return tuple(cursor.fetchone())


def test_prepared_rows_equal_the_plain_statement():
    for value, day in [(1, date(2026, 1, 31)), (41, date(2024, 2, 28)), (-3, date(2026, 12, 6))]:
        assert run(value, day) == plain(value, day)


def _prepared_here() -> int:
    """Statements prepared on this connection (``pg_prepared_statements`` is per session)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'kj_%%'")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PREPARE is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_prepared_once_per_connection():
    """The PREPARE is the connection's set-up, sent straight to the driver: a request's
    statements are the same on a new connection and an old one."""

    def verbs(queries):
        return [q["sql"].split()[0] for q in queries.captured_queries]

    connection.close()  # a new connection prepares its own
    with CaptureQueriesContext(connection) as first:
        assert run(1, date(2026, 1, 1)) == plain(1, date(2026, 1, 1))
    prepared = _prepared_here()
    assert prepared >= 1
    with CaptureQueriesContext(connection) as later:
        run(2, date(2026, 1, 2))
        run(3, date(2026, 1, 3))
    assert verbs(first)[-2:] == ["EXECUTE", "SELECT"]
    assert "PREPARE" not in verbs(first)
    assert verbs(later) == ["EXECUTE", "EXECUTE"]
    assert _prepared_here() == prepared  # not prepared again
    connection.close()
    assert _prepared_here() == 0  # a new session
    with CaptureQueriesContext(connection) as again:
        run(4, date(2026, 1, 4))
    assert verbs(again)[-1:] == ["EXECUTE"]
    assert _prepared_here() == prepared


def test_turned_off_runs_the_plain_statement(settings):
    settings.PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as queries:
        assert run(5, date(2026, 3, 1)) == plain(5, date(2026, 3, 1))
    assert all(not q["sql"].startswith(("PREPARE", "EXECUTE")) for q in queries.captured_queries)


def _sent(cursor, statements) -> list[tuple]:
    """The rows of each of ``statements`` sent in one message."""
    cursor.execute("; ".join(sql for sql, _ in statements), [v for _, p in statements for v in p])
    results = [tuple(cursor.fetchone())]
    while cursor.nextset():
        results.append(tuple(cursor.fetchone()))
    return results


def test_a_statement_sent_with_others_is_prepared_once_and_gives_the_plain_rows(
    require_postgres,
):
    """``prepared.statement``: ``EXECUTE`` of the statement prepared on this connection,
    to send in a message with others (PostgreSQL's; SQLite runs one statement a call);
    the same rows as the plain statement."""
    sql, day = "SELECT %s + 1, CAST(%s AS DATE) + 1", date(2026, 2, 28)
    with connection.cursor() as cursor:
        before = _prepared_here()
        for value in (1, 41, -3):
            message = [("SELECT %s * 10", [value]), prepared.statement(cursor, sql, [value, day])]
            assert message[1][0].startswith("EXECUTE kj_")
            assert _sent(cursor, message)[1] == plain_rows(sql, [value, day])
            assert _prepared_here() == before + 1  # prepared the first time only


def test_a_statement_sent_with_others_is_plain_when_turned_off(settings):
    settings.PREPARED_STATEMENTS = False
    with connection.cursor() as cursor:
        assert prepared.statement(cursor, "SELECT %s", [1]) == ("SELECT %s", [1])


def plain_rows(sql: str, params) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(cursor.fetchone())
