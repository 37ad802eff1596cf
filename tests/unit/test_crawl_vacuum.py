"""The crawl vacuums the tables its rolled-back writes bloat, before and after it
(``bench.crawl_bench.vacuum``): with autovacuum off, dead access-log rows built up into
the millions and slowed the pages that read them."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import crawl_bench

pytestmark = pytest.mark.django_db(transaction=True)


def last_vacuum(table: str):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = %s",
            [table],
        )
        return cursor.fetchone()


@pytest.mark.parametrize("table", ["enterprises_accesslogentry", "django_session"])
def test_vacuum_vacuums_and_analyzes_the_access_log_and_the_sessions(require_postgres, table):
    """The access log (exports' rolled-back entries) and the sessions (every role's
    sign-in, rolled back: 12,637 dead rows after session 19's crawls)."""
    assert table in crawl_bench.BLOATED
    before = last_vacuum(table)
    crawl_bench.vacuum()
    after = last_vacuum(table)
    assert after[0] is not None and after[1] is not None
    assert before[0] is None or after[0] > before[0]
