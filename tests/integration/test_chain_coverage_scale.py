"""The chain coverage counters at the scale of a product's rematch: one transaction syncs
thousands of placed firms (a per-firm advisory lock would overflow PostgreSQL's shared
lock table, 6,400 entries by default: "out of shared memory"), and a rematch re-syncs only
the firms whose banks with a match changed (a full re-sync of 300,000 placed firms took
100 s nationally; the check 5 s)."""

import pytest
from django.utils import timezone

from ecosystem.chains.models import ChainNode, EnterpriseNode
from ecosystem.enterprises.models import Enterprise
from ecosystem.financing import coverage_recount, coverage_summary
from ecosystem.financing.models import ChainCoverage, ChainCoverageMember, Match
from tests.factories import ProductVersionFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def _placed(count: int):
    zone = ZoneFactory()
    node = ChainNode.objects.order_by("path").first()
    firms = Enterprise.objects.bulk_create(
        Enterprise(uscc=f"91440300S{i:08d}X"[:18], name=f"链上企业{i}", zone=zone)
        for i in range(count)
    )
    EnterpriseNode.objects.bulk_create(EnterpriseNode(enterprise=e, node=node) for e in firms)
    return zone, node, firms


def test_one_transaction_syncs_more_firms_than_the_lock_table_holds(require_postgres):
    zone, node, firms = _placed(20_000)
    assert coverage_summary.coverage_sync(enterprise_ids=[e.pk for e in firms]) == 20_000
    row = ChainCoverage.objects.get(node=node, zone=zone, bank__isnull=True)
    assert row.enterprises == 20_000
    assert coverage_recount.stored() == coverage_recount.recount()


def test_a_rematch_resyncs_only_the_firms_whose_matched_banks_changed(
    require_postgres, monkeypatch
):
    _zone, _node, firms = _placed(30)
    coverage_summary.coverage_sync(enterprise_ids=[e.pk for e in firms])
    assert ChainCoverageMember.objects.count() == 30
    synced = []
    real = coverage_summary.coverage_sync

    def spy(*, enterprise_ids):
        synced.append(sorted(enterprise_ids))
        return real(enterprise_ids=enterprise_ids)

    monkeypatch.setattr(coverage_summary, "coverage_sync", spy)
    coverage_summary.coverage_sync_rematched()  # nothing changed
    assert synced == [[]]
    # A match appears for one firm (as a rematch writes it): only that firm is re-synced.
    version = ProductVersionFactory()
    Match.objects.create(
        enterprise=firms[3],
        product=version.product,
        product_version=version,
        score=80,
        indicative_limit=1_000_000,
        computed_at=timezone.now(),
    )
    coverage_summary.coverage_sync_rematched(id_range=(firms[0].pk, firms[-1].pk + 1))
    assert synced[-1] == [firms[3].pk]
    assert coverage_recount.stored() == coverage_recount.recount()
