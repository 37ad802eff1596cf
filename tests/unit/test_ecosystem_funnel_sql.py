"""The ecosystem page's funnel read from its counters (``coverage.ecosystem_funnel``)
equals the computation they replaced, which loaded every enterprise and its flags into
Python (``tests.worlds.ecosystem.reference_funnel``), on the chain world plus an
enterprise on two nodes of one chain, a declined offer and yearly figures that make
growth and mature enterprises, on today and on a later day (members past their
``stage_until``, corrected at read time); and its queries do not grow with the
enterprises."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecosystem.chains.models import ChainNode, EnterpriseNode
from ecosystem.enterprises import summary as enterprise_summary
from ecosystem.enterprises.lifecycle import LifecycleStage
from ecosystem.financing import coverage_recount, ecosystem_summary, funnel
from ecosystem.financing.models import Lead, Offer
from ecosystem.insights.coverage import ecosystem_funnel
from ecosystem.zones.models import Zone
from tests.factories import EnterpriseFactory, FinancialYearFactory, ZoneFactory
from tests.worlds.chain_coverage import build_coverage_world
from tests.worlds.ecosystem import plain, reference_funnel

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(django_capture_on_commit_callbacks):
    return build_coverage_world(django_capture_on_commit_callbacks)


def more_enterprises(w, n: int, *, seed: int = 0) -> None:
    """``n`` enterprises of the first zone with yearly figures of every size, some on two
    nodes of one chain, some with a lead and a made, declined or accepted offer."""
    version = w.product_version
    branch = version.product.bank.branches.first()
    nodes = [ChainNode.objects.get(path=p) for p in ("ic/design/memory", "ic/manufacturing")]
    for i in range(n):
        e = EnterpriseFactory(zone=w.zone, founded_on=date(2010 + (i + seed) % 15, 3, 1))
        if i % 2:
            FinancialYearFactory(
                enterprise=e,
                year=2024 - i % 2,
                revenue=Decimal(10 ** (5 + i % 5)),
                total_costs=Decimal(10 ** (4 + i % 5)),
                rd_expense=Decimal(100),
                employees=5 + 40 * i,
                rd_staff=1,
            )
            # an older year of the other size: only the latest one decides the stage
            FinancialYearFactory(
                enterprise=e,
                year=2020,
                revenue=Decimal(10 ** (9 - i % 5)),
                total_costs=Decimal(10 ** (8 - i % 5)),
                rd_expense=Decimal(100),
                employees=900 - 40 * (i % 20),
                rd_staff=1,
            )
        if i % 3 == 0:
            for node in nodes[: 1 + i % 2]:
                EnterpriseNode.objects.create(enterprise=e, node=node)
        if i % 4 == 0:
            lead = Lead.objects.create(
                enterprise=e,
                product=version.product,
                product_version=version,
                bank=version.product.bank,
                branch=branch,
                source="apply",
                indicative_limit=Decimal(1_000_000),
                status="offer_made",
            )
            Offer.objects.create(
                lead=lead,
                amount=Decimal(100_000 + i),
                rate=Decimal("3.5"),
                term_months=12,
                valid_until=timezone.now() + timedelta(days=10),
                status=("made", "declined", "accepted")[i % 3],
            )
    # written past the services, as rebuild_summaries would repair: the enterprise funnel,
    # the stages and verified flags, the chain counters, then the cells that read them
    funnel.rebuild()
    enterprise_summary.rebuild()
    coverage_recount.rebuild()
    ecosystem_summary.rebuild()


def test_the_counted_funnel_equals_the_former_computation(setup):
    w, _made = setup
    more_enterprises(w, 24)
    today = timezone.localdate()
    ZoneFactory()  # a zone with no enterprise: every zone is not the two with some
    for zones in (
        Zone.objects.all(),  # every zone: the cells without a zone filter
        Zone.objects.filter(pk__in=[w.zone.pk, w.other_zone.pk]),
        Zone.objects.filter(pk=w.other_zone.pk),
    ):
        for on in (today, today + timedelta(days=5 * 365)):  # firms age into other stages
            new, old = (
                ecosystem_funnel(zones=zones, today=on),
                reference_funnel(zones=zones, today=on),
            )
            assert plain(new) == plain(old)
    stages = {r.key: r.counts["registered"] for r in new["stages"]}
    assert all(stages.values()) or stages  # computed for the smaller world too
    everything = plain(ecosystem_funnel(zones=Zone.objects.all(), today=today))
    assert {k for k, *_ in everything["stages"]} == {s.value for s in LifecycleStage}
    both = ecosystem_funnel(zones=Zone.objects.filter(pk__in=[w.zone.pk]), today=today)
    assert sum(1 for r in both["stages"] if r.counts["registered"]) >= 2  # stages vary


@pytest.mark.parametrize("n", [10, 200])
def test_queries_do_not_grow_with_enterprises(setup, n):
    w, _made = setup
    more_enterprises(w, n)
    zones = Zone.objects.filter(pk__in=[w.zone.pk, w.other_zone.pk])
    with CaptureQueriesContext(connection) as queries:
        ecosystem_funnel(zones=zones)
    # zones, how many zones there are, chains; the zone × stage cells, the members past
    # their stage_until (none on the day of the rebuild), the chain counters
    assert len(queries) == 6
