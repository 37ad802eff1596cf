"""``core.db.inline_literals`` writes a statement's values in as psycopg's client-side
binding does (the same text reaches PostgreSQL), for every value type our statements
pass, and refuses any other; one firm's rematch sends its write message that way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem.core.db import inline_literals

pytestmark = pytest.mark.django_db

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        timezones=st.sampled_from(
            [UTC, ZoneInfo("Asia/Shanghai"), timezone(timedelta(hours=-3, minutes=-30))]
        ),
    ),
)
SQL = "SELECT {} WHERE x = 1 OR y LIKE 'a%%b'"


def _psycopg(sql: str, params) -> str:
    """The text psycopg's client-side binding sends for ``sql`` and ``params``."""
    with connection.cursor() as cursor:
        return cursor.cursor.mogrify(sql, params)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(VALUES, min_size=1, max_size=12))
def test_values_are_written_as_psycopg_writes_them(require_postgres, values):
    sql = SQL.format(", ".join(["%s"] * len(values)))
    assert inline_literals(sql, values) == _psycopg(sql, values)


@pytest.mark.parametrize(
    "value",
    [
        Decimal(-0),
        Decimal("-0.00"),
        Decimal("1E+6"),
        Decimal("-1E-7"),
        -1,
        0,
        datetime(2026, 12, 7, 7, 0, tzinfo=UTC),  # no microseconds
        datetime(2026, 12, 7, 7, 0, 0, 1, tzinfo=ZoneInfo("Asia/Shanghai")),
    ],
)
def test_edge_values_are_written_as_psycopg_writes_them(require_postgres, value):
    sql = SQL.format("%s, -%s")  # a negative after a minus must not become a comment
    assert inline_literals(sql, [value, value]) == _psycopg(sql, [value, value])


@pytest.mark.parametrize(
    "value",
    [
        "1; DROP TABLE financing_match",
        Decimal("NaN"),
        Decimal("Infinity"),
        1.5,
        datetime(2026, 12, 7),  # naive
        b"x",
    ],
)
def test_any_other_value_is_refused(value):
    with pytest.raises(TypeError):
        inline_literals("SELECT %s", [value])


def test_one_firm_s_write_message_is_sent_with_its_values_written_in(require_postgres):
    from ecosystem.financing.services import rematch_enterprise_now
    from tests.factories import BankFactory, EnterpriseFactory
    from tests.worlds.leads import make_version

    enterprise = EnterpriseFactory()
    make_version(BankFactory())
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        rematch_enterprise_now(enterprise_id=enterprise.pk)
    (write,) = [(sql, params) for sql, params in sent if sql.startswith("WITH w AS (INSERT")]
    assert not write[1]  # no parameters left for psycopg to merge
    assert f"({enterprise.pk}, " in write[0]  # its match's row, the firm's id written in
