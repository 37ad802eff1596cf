"""One firm's rematch on PostgreSQL: the rematch marker, the versions' ids and the facts in
one message; the matches, the stale deletion, the funnel's flag and the marker's deletion
in another; the same matches stored as before, a marker written since kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecosystem.financing import match_totals
from ecosystem.financing.eligibility.matcher import rematch
from ecosystem.financing.models import Match
from tests.factories import BankFactory, EnterpriseFactory
from tests.worlds.leads import make_version

pytestmark = pytest.mark.django_db


def _expanded(message: str) -> str:
    """``message`` with each ``EXECUTE name(…)`` replaced by the statement prepared under
    that name on this connection (``core.prepared``)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        texts = dict(cursor.fetchall())
    return "; ".join(
        texts[part.split()[1].split("(")[0]].split(" AS ", 1)[1]
        if part.startswith("EXECUTE ")
        else part
        for part in message.split("; ")
    )


def test_one_firm_s_rematch_writes_its_matches_and_deletes_the_stale_ones():
    enterprise, other = EnterpriseFactory(), EnterpriseFactory()
    bank = BankFactory()
    versions = [make_version(bank) for _ in range(3)]
    gone = make_version(bank)
    gone.product.is_active = False
    gone.product.save()
    rematch(enterprise_ids=[other.pk])
    rematch(enterprise_ids=[enterprise.pk])  # prepares, on PostgreSQL
    Match.objects.create(
        enterprise=enterprise,
        product_version=gone,
        product=gone.product,
        score=1,
        indicative_limit=Decimal(1),
        computed_at=timezone.now(),
    )
    match_totals.rebuild()  # written past the rematch
    with CaptureQueriesContext(connection) as queries:
        written = rematch(enterprise_ids=[enterprise.pk])
    assert written == 0  # its three matches unchanged: not rewritten
    stored = Match.objects.filter(enterprise=enterprise).values_list("product_version", flat=True)
    assert sorted(stored) == sorted(v.pk for v in versions)
    assert Match.objects.filter(enterprise=other).count() == 3  # another firm's untouched
    statements = [q["sql"] for q in queries.captured_queries]
    # With the matches' writes: the firm's "has a match" flag for the zones' funnel
    # (``funnel.matched_sync``); its zone's count moves only when the flag changes.
    # A match deleted: the products' match totals move, in a statement of their own, last
    # (``match_totals``); the insert, the update and the deletion each return what they
    # changed per product.
    if connection.vendor == "postgresql":
        assert len(statements) == 3, statements
        assert statements[0].startswith("EXECUTE") and "; EXECUTE" in statements[0]
        assert statements[1].startswith("WITH w AS (INSERT"), statements[1]
        assert "; WITH w AS (UPDATE" in statements[1] and "; WITH w AS (DELETE" in statements[1]
        # the flag (and the chain question) prepared: one shape for one firm
        assert "; WITH scope AS" in _expanded(statements[1]), statements[1]
        assert statements[2].startswith("INSERT INTO financing_productmatchtotal")
    else:
        # versions, facts, insert, delete, flag x2; then, a match deleted, the chain
        # counters' sync in its savepoint (the firm's member row and its placements); the
        # scope's totals before and after, and the totals' upsert.
        assert len(statements) == 13, "\n".join(s[:90] for s in statements)
        saved = next(i for i, sql in enumerate(statements) if sql.startswith("SAVEPOINT"))
        assert "chaincoveragemember" in statements[saved + 1]
        scope_reads = [sql for sql in statements if 'COUNT("financing_match"."id")' in sql]
        assert len(scope_reads) == 2  # the scope's matches counted before and after
        assert statements[-1].startswith("INSERT INTO financing_productmatchtotal")
    assert match_totals.drift()["match_totals"]["differing"] == 0


def test_a_firm_without_matches_has_its_stale_ones_deleted():
    enterprise = EnterpriseFactory()
    version = make_version(BankFactory())
    rematch(enterprise_ids=[enterprise.pk])
    assert Match.objects.filter(enterprise=enterprise).count() == 1
    version.product.is_active = False
    version.product.save()
    assert rematch(enterprise_ids=[enterprise.pk]) == 0
    assert not Match.objects.filter(enterprise=enterprise).exists()


def test_the_rematch_clears_the_marker_it_read_in_its_two_messages():
    from ecosystem.financing.models import RematchMarker
    from ecosystem.financing.services import rematch_enterprise_now

    enterprise = EnterpriseFactory()
    make_version(BankFactory())
    rematch_enterprise_now(enterprise_id=enterprise.pk)  # prepares, on PostgreSQL
    RematchMarker.objects.create(enterprise=enterprise)
    with CaptureQueriesContext(connection) as queries:
        assert rematch_enterprise_now(enterprise_id=enterprise.pk) == 0  # nothing changed
    assert not RematchMarker.objects.filter(enterprise=enterprise).exists()
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    if connection.vendor == "postgresql":
        # BEGIN and COMMIT (here a savepoint) aside: two messages.
        assert len(statements) == 2, statements
        assert "financing_rematchmarker" in _expanded(statements[1]), statements[1]


def test_a_marker_written_during_the_rematch_stays_for_the_next_one(monkeypatch):
    """A change committed between the marker's read and its deletion wrote a newer marker:
    the rematch did not see that change, so its marker must survive."""
    from datetime import timedelta

    from ecosystem.financing.eligibility import firm_write
    from ecosystem.financing.models import RematchMarker
    from ecosystem.financing.services import rematch_enterprise_now

    enterprise = EnterpriseFactory()
    make_version(BankFactory())
    RematchMarker.objects.create(enterprise=enterprise)
    newer = timezone.now() + timedelta(seconds=5)
    real = firm_write.matches_of

    def facts_then_a_change(*args, **kwargs):
        result = real(*args, **kwargs)
        RematchMarker.objects.filter(enterprise=enterprise).update(created_at=newer)
        return result

    monkeypatch.setattr(firm_write, "matches_of", facts_then_a_change)
    rematch_enterprise_now(enterprise_id=enterprise.pk)
    assert RematchMarker.objects.get(enterprise=enterprise).created_at == newer


def test_a_firm_on_a_chain_syncs_the_chain_counters_only_when_its_matches_move():
    """One firm's rematch keeps the chain view's counters (its banks with a match) exact,
    and skips their sync (a dozen statements under a lock) when no match was written or
    deleted."""
    from ecosystem.financing.coverage_recount import drift
    from ecosystem.financing.models import ChainCoverageMember
    from tests.factories import EnterpriseNodeFactory

    def clean():
        return all(table["differing"] == 0 for table in drift().values())

    enterprise = EnterpriseFactory()
    EnterpriseNodeFactory(enterprise=enterprise)
    first = make_version(BankFactory())
    rematch(enterprise_ids=[enterprise.pk])  # a new match: synced
    assert clean()
    with CaptureQueriesContext(connection) as queries:
        assert rematch(enterprise_ids=[enterprise.pk]) == 0  # nothing moved
    if connection.vendor == "postgresql":  # the two messages only, no sync after them
        assert len(queries) == 2, [q["sql"][:80] for q in queries.captured_queries]
    assert clean()

    second = make_version(BankFactory())  # another bank's product: a second match
    with CaptureQueriesContext(connection) as queries:
        assert rematch(enterprise_ids=[enterprise.pk]) == 1
    if connection.vendor == "postgresql":  # the counters' lock (SQLite has one writer)
        assert any("pg_advisory_xact_lock" in q["sql"] for q in queries.captured_queries)
    assert clean()
    banks = {row[0] for row in ChainCoverageMember.objects.get(pk=enterprise.pk).banks}
    assert {first.product.bank_id, second.product.bank_id} <= banks

    second.product.is_active = False  # withdrawn: its match deleted, nothing written
    second.product.save()
    assert rematch(enterprise_ids=[enterprise.pk]) == 0
    assert clean()
    assert Match.objects.filter(enterprise=enterprise).count() == 1
