"""The national crawl (``bench/crawl_bench.py``) measures each page the way a server
serves it: in a transaction of its own, rolled back after it, not late in one long
transaction holding the writes of the pages before it. A page sees no other page's
writes; the statement timeout holds within each page and not after."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from bench import crawl_bench
from ecosystem.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PAGES = [("first", "/", ["member"]), ("second", "/", ["member", "member"])]


@pytest.fixture
def seen(monkeypatch):
    """What each page's measurement sees (its transaction, the timeout, the users a
    page writes); each measurement writes one such user."""
    rows: list[tuple] = []

    def page_row(client, name, url, role, repeat, cap):
        UserFactory(email=f"written-{len(rows)}@example.invalid")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_current_xact_id()::text, current_setting('statement_timeout'), "
                "(SELECT count(*) FROM accounts_user WHERE email LIKE 'written-%%')"
            )
            rows.append(cursor.fetchone())
        return {"name": name, "url": url, "role": role, "ms": 1.0, "queries": 1, "status": 200}

    monkeypatch.setattr(crawl_bench, "page_row", page_row)
    return rows


@pytest.fixture
def made():
    return {"people": {"member": UserFactory()}, "objects": {}, "values": {}}


def test_each_page_is_measured_in_a_fresh_transaction_rolled_back_after_it(seen, made):
    rows = crawl_bench.crawl(made, PAGES, repeat=1, cap=2)
    assert [(r["name"], r["role"]) for r in rows] == [
        ("first", "member"),
        ("second", "member"),
        ("second", "member"),
    ]
    transactions = [xact for xact, _timeout, _written in seen]
    assert len(set(transactions)) == 3, transactions
    # each page sees its own write only: the pages before it left nothing behind
    assert [written for _xact, _timeout, written in seen] == [1, 1, 1]
    assert not User.objects.filter(email__startswith="written-").exists()


def test_the_statement_timeout_is_the_cap_within_a_page_and_gone_after_it(seen, made):
    crawl_bench.crawl(made, PAGES[:1], repeat=1, cap=2)
    assert seen[0][1] == "2s"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        assert cursor.fetchone()[0] == "0"


def test_the_crawl_refuses_to_run_inside_a_transaction(seen, made):
    with transaction.atomic(), pytest.raises(RuntimeError):
        crawl_bench.crawl(made, PAGES, repeat=1, cap=2)
    assert seen == []


def test_the_machines_speed_is_timed_before_every_hundred_pages(seen, made, monkeypatch):
    """``machine_reference`` beside the pages: before the first and then every
    ``REFERENCE_EVERY`` pages, so that two crawls are read against the speed each ran at."""
    monkeypatch.setattr(crawl_bench, "REFERENCE_EVERY", 2)
    references: list[dict] = []
    crawl_bench.crawl(made, PAGES, repeat=1, cap=2, references=references)
    assert len(references) == 2  # before pages 1 and 3 of 3
    for reference in references:
        assert set(reference) == {"python", "sql"}
        assert all(ms > 0 for ms in reference.values())
