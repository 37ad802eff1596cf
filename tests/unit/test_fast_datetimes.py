"""Date-times parsed by psycopg's C code (``core.fast_datetimes``): every connection reads
``timestamp with time zone`` through it, and it gives exactly what Django's own loader
gives, value by value, ``tzinfo`` included, whatever the session's time zone."""

from __future__ import annotations

import pytest
from django.db import DataError, connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.utils import timezone

from ecosystem.core import fast_datetimes
from ecosystem.core.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

#: Written as PostgreSQL would meet them: fractions of every length, offsets east and west,
#: half and three-quarter hours, Shanghai's summer time of 1986-1991, the first and last
#: years PostgreSQL and Python share, local mean time (an offset with seconds), NULL.
LITERALS = [
    "2026-12-07 14:05:00+00",
    "2026-12-07 14:05:00.1+08",
    "2026-12-07 14:05:00.12+08",
    "2026-12-07 14:05:00.123456-05:30",
    "2026-03-29 01:59:59.999999+05:45",
    "1986-05-04 01:59:59+08",
    "1986-05-04 03:00:00+09",
    "1991-09-15 01:30:00+09",
    "1900-01-01 00:00:00+08:05:43",
    "0001-01-02 00:00:00+00",
    "9999-12-30 23:59:59.999999+00",
    "2000-02-29 23:59:59.5-12",
    "1970-01-01 00:00:00+14",
]
SESSION_ZONES = ["UTC", "Asia/Shanghai", "America/St_Johns", "Asia/Kathmandu", "Pacific/Apia"]


@pytest.fixture
def values_table(require_postgres):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE kj_times (n serial, at timestamptz)")
        cursor.execute("SET LOCAL TIME ZONE 'UTC'")
        cursor.execute(
            "INSERT INTO kj_times (at) SELECT unnest(%s::timestamptz[]) UNION ALL SELECT NULL",
            [LITERALS],
        )
        cursor.execute("SELECT setseed(0.19)")
        cursor.execute(
            "INSERT INTO kj_times (at) SELECT timestamptz '1901-01-01 00:00+00' "
            "+ random() * interval '200 years' FROM generate_series(1, 3000)"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE kj_times")


def read(loader_of) -> list:
    """The table's values through a cursor whose time-zone loader ``loader_of`` sets."""
    with connection.cursor() as cursor:
        loader_of(cursor.cursor)
        cursor.execute("SELECT at FROM kj_times ORDER BY n")
        return [row[0] for row in cursor.fetchall()]


def django_loader(cursor) -> None:
    register_tzloader(connection.timezone, cursor)


def fast_loader(cursor) -> None:
    cursor.adapters.register_loader("timestamptz", fast_datetimes.loader_for(connection.timezone))


def test_connections_read_date_times_with_the_c_parser(require_postgres):
    assert fast_datetimes.c_loader() is not None, "psycopg[binary] is a dependency"
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(1184, 0)  # timestamptz, text
        assert loader.__name__ == "FastTzLoader"
        assert loader.timezone is connection.timezone  # so create_cursor keeps it
        cursor.execute("SELECT now(), statement_timestamp()")
        now, _ = cursor.fetchone()
    assert now.tzinfo is connection.timezone
    assert abs(now - timezone.now()).total_seconds() < 60


@pytest.mark.parametrize("zone", SESSION_ZONES)
def test_the_same_values_as_djangos_loader(values_table, zone):
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL TIME ZONE '{zone}'")
    djangos, fast = read(django_loader), read(fast_loader)
    assert len(fast) == len(LITERALS) + 1 + 3000
    assert fast == djangos
    # Equal instants are not enough: the same wall clock and the same tzinfo object.
    assert [(v.isoformat(), v.tzinfo) for v in fast if v] == [
        (v.isoformat(), v.tzinfo) for v in djangos if v
    ]
    assert None in fast


def test_a_value_past_pythons_years_is_the_same_error(values_table):
    """Year 9999's last evening, read in a session 13 hours east, is year 10,000: both
    loaders refuse it with the same error rather than one of them inventing a value."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'Pacific/Apia'")
        cursor.execute("INSERT INTO kj_times (at) VALUES ('9999-12-31 23:59:59+00')")
    errors = []
    for loader_of in (django_loader, fast_loader):
        with pytest.raises(DataError) as refused:
            read(loader_of)
        errors.append(str(refused.value))
    assert errors[0] == errors[1] and "10K" in errors[0]


def test_models_read_through_the_orm_keep_their_instant():
    at = timezone.now()
    note = Notification.objects.create(recipient=UserFactory(), kind="info", title="t")
    Notification.objects.filter(pk=note.pk).update(created_at=at)
    read_back = Notification.objects.values_list("created_at", flat=True).get(pk=note.pk)
    assert read_back == at
    assert read_back.tzinfo is connection.timezone or connection.vendor != "postgresql"
