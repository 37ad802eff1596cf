"""The chain view's counters (``financing.coverage_summary``) stay equal to a recount
through every path that changes what they count: placements set and removed
(``placements_set``), claims verified and expired (``claim_transition``), rematches that
add and remove matches, leads opened and worked to a disbursement, and enterprises moving
zone. A seeded random walk drives the real services (the lead walk of
``test_lead_summary_recount`` plus the chain and claim moves); afterwards the counters
equal a recount, and the figures every page reads equal the reference
(``insights.coverage.chain_coverage_recount``) for every bank, one bank, both zones and
each zone (a bank's figures from its own counter rows, several banks' from one
statement)."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from ecosystem.chains.models import Chain, EnterpriseNode
from ecosystem.chains.services import placements_set
from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.financing import coverage_recount
from ecosystem.financing.models import ChainCoverage, Disbursement, Match
from ecosystem.financing.summary_recount import summaries_drift, summaries_rebuild
from ecosystem.insights.chain_figures import chain_coverage, chains_coverage
from ecosystem.insights.coverage import chain_coverage_recount
from ecosystem.zones.models import Zone
from tests.worlds.chain_walk import ChainWalk
from tests.worlds.lead_walk import Clock

pytestmark = pytest.mark.django_db(transaction=False)
FIGURES = ("enterprises", "verified", "matched", "leads", "financed", "gap")


def figures(row) -> tuple:
    return tuple(getattr(row, name) for name in FIGURES)


def assert_pages_equal_the_reference(walk: ChainWalk) -> None:
    both = Zone.objects.filter(pk__in=[z.pk for z in walk.zones])
    scopes = [both, *(Zone.objects.filter(pk=z.pk) for z in walk.zones)]
    own, other = walk.branches[0].bank_id, walk.branches[2].bank_id
    banks = [None, [own], [other], sorted([own, other])]  # every bank, one, several
    for zones in scopes:
        for bank_ids in banks:
            listed = chains_coverage(zones=zones, bank_ids=bank_ids)
            for chain in Chain.objects.all():
                want_nodes, want_total = chain_coverage_recount(
                    chain=chain, zones=zones, bank_ids=bank_ids
                )
                nodes, total = chain_coverage(chain=chain, zones=zones, bank_ids=bank_ids)
                assert [figures(n) for n in nodes] == [figures(n) for n in want_nodes]
                assert [n.node.pk for n in nodes] == [n.node.pk for n in want_nodes]
                assert figures(total) == figures(want_total), (chain.code, bank_ids)
                listed_total, gaps = listed.get(chain.pk, (want_total, 0))
                assert figures(listed_total) == figures(want_total)
                assert gaps == sum(1 for n in want_nodes if n.gap)


# Seeds whose walk reaches every figure on the chains' nodes (asserted below); the lead
# walk's steps include re-placing enterprises since the chains' lead summaries came in.
@pytest.mark.parametrize("seed", [2, 3, 4])
def test_counters_equal_a_recount_after_random_moves_through_every_path(monkeypatch, seed):
    rng = random.Random(seed)
    clock = Clock(monkeypatch)
    walk = ChainWalk()
    for _ in range(12):
        walk.open(rng)
    for _ in range(140):
        action = rng.random()
        try:
            if action < 0.25:
                walk.place(rng)
            elif action < 0.35:
                walk.verify(rng)
            elif action < 0.4:
                walk.expire(rng)
            elif action < 0.5:
                walk.finance(rng, clock.now, disburse=rng.random() < 0.7)
            else:
                walk.step(rng, rng.choice(walk.leads), clock.now)
        except ApplicationError:
            pass  # a refused move changes nothing; the recount below checks that too
        clock.advance(rng)
    # The walk reached every figure on the chains' nodes.
    placed = EnterpriseNode.objects.values("enterprise_id")
    assert QualificationClaim.objects.filter(status="verified", enterprise__in=placed).exists()
    assert Match.objects.filter(enterprise__in=placed).exists()
    assert Disbursement.objects.filter(lead__enterprise__in=placed).exists()
    assert len({e.zone_id for e in Enterprise.objects.filter(pk__in=placed)}) == 2
    assert coverage_recount.stored() == coverage_recount.recount()
    drift = summaries_drift()
    assert not {name: part for name, part in drift.items() if part["differing"]}
    assert_pages_equal_the_reference(walk)


def _matched_on(node) -> int:
    rows = ChainCoverage.objects.filter(node=node, bank__isnull=True)
    return rows.aggregate(n=Sum("matched"))["n"] or 0


def test_a_rematch_of_many_enterprises_syncs_them_in_a_few_statements():
    """Matches of every placed enterprise appear, then go, in one rematch each; the
    counters follow with a few statements on the counter tables, not one per enterprise."""
    from ecosystem.financing.eligibility.matcher import rematch
    from ecosystem.financing.models import Product

    walk = ChainWalk()
    rng = random.Random(3)
    for _ in range(60):
        walk.open(rng)
    node = walk.nodes[-1]
    for enterprise in Enterprise.objects.all():
        EnterpriseNode.objects.get_or_create(enterprise=enterprise, node=node)
    Match.objects.all().delete()
    summaries_rebuild()  # the rows above were written past the services
    assert _matched_on(node) == 0
    with CaptureQueriesContext(connection) as queries:
        rematch()
    matched = Match.objects.values("enterprise_id").distinct().count()
    assert matched > 30 and _matched_on(node) == matched
    on_counters = [q for q in queries.captured_queries if "chaincoverage" in q["sql"]]
    if connection.vendor == "postgresql":  # SQLite writes the counters row by row
        assert len(on_counters) <= 4, [q["sql"][:80] for q in on_counters]
    Product.objects.update(is_active=False)
    rematch()
    assert _matched_on(node) == 0
    assert coverage_recount.stored() == coverage_recount.recount()


def test_drift_is_reported_and_the_rebuild_repairs_it():
    walk = ChainWalk()
    rng = random.Random(5)
    for _ in range(3):
        walk.open(rng)
    enterprise = Enterprise.objects.first()
    placements_set(enterprise=enterprise, nodes=walk.nodes[:1], actor=walk.members[enterprise.pk])
    assert summaries_drift()["coverage_counters"]["differing"] == 0
    EnterpriseNode.objects.create(enterprise=enterprise, node=walk.nodes[1])  # past the service
    drift = summaries_drift()
    assert drift["coverage_members"]["differing"] == 1
    assert drift["coverage_counters"]["differing"] >= 1
    summaries_rebuild()
    assert all(part["differing"] == 0 for part in summaries_drift().values())
