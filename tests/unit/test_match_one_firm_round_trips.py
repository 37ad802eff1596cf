"""One firm's rematch on PostgreSQL: the versions' ids and the facts in one message, the
matches and the stale deletion in another; the same matches stored as before."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecosystem.financing.eligibility.matcher import rematch
from ecosystem.financing.models import Match
from tests.factories import BankFactory, EnterpriseFactory
from tests.worlds.leads import make_version

pytestmark = pytest.mark.django_db


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
    with CaptureQueriesContext(connection) as queries:
        written = rematch(enterprise_ids=[enterprise.pk])
    assert written == 3
    stored = Match.objects.filter(enterprise=enterprise).values_list("product_version", flat=True)
    assert sorted(stored) == sorted(v.pk for v in versions)
    assert Match.objects.filter(enterprise=other).count() == 3  # another firm's untouched
    statements = [q["sql"] for q in queries.captured_queries]
    # The last statement sets the firm's "has a match" flag for the zones' funnel
    # (``funnel.matched_sync``); its zone's count moves only when the flag changes.
    if connection.vendor == "postgresql":
        assert len(statements) == 3, statements
        assert statements[0].startswith("EXECUTE") and "; EXECUTE" in statements[0]
        assert statements[1].startswith("INSERT") and "; DELETE" in statements[1]
        assert statements[2].startswith("WITH scope AS"), statements[2]
    else:
        assert len(statements) == 6, statements  # versions, facts, insert, delete, flag x2


def test_a_firm_without_matches_has_its_stale_ones_deleted():
    enterprise = EnterpriseFactory()
    version = make_version(BankFactory())
    rematch(enterprise_ids=[enterprise.pk])
    assert Match.objects.filter(enterprise=enterprise).count() == 1
    version.product.is_active = False
    version.product.save()
    assert rematch(enterprise_ids=[enterprise.pk]) == 0
    assert not Match.objects.filter(enterprise=enterprise).exists()
