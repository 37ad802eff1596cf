"""The ecosystem page's funnel counted in SQL (``coverage.ecosystem_funnel``) equals the
computation it replaced, which loaded every enterprise and its flags into Python (kept
here as the reference), on the chain world plus an enterprise on two nodes of one chain,
a declined offer and yearly figures that make growth and mature enterprises; and its
queries do not grow with the enterprises."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecosystem.chains.models import Chain, ChainNode, EnterpriseNode
from ecosystem.enterprises import summary as enterprise_summary
from ecosystem.enterprises.lifecycle import LifecycleStage
from ecosystem.enterprises.models import Enterprise, FinancialYear
from ecosystem.enterprises.stage import Basis, stage_of
from ecosystem.financing import funnel
from ecosystem.financing.models import Lead, Offer
from ecosystem.insights.coverage import FunnelRow, ecosystem_funnel, enterprise_flags
from ecosystem.zones.models import Zone
from tests.factories import EnterpriseFactory, FinancialYearFactory, ZoneFactory
from tests.worlds.chain_coverage import build_coverage_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(django_capture_on_commit_callbacks):
    return build_coverage_world(django_capture_on_commit_callbacks)


def reference_funnel(*, zones, today) -> dict[str, list[FunnelRow]]:
    """The former ``ecosystem_funnel``: every enterprise loaded, its stage in Python."""
    enterprises = list(
        Enterprise.objects.filter(zone__in=zones).select_related("zone").order_by("pk")
    )
    ids = [e.pk for e in enterprises]
    flags = enterprise_flags(enterprise_ids=ids, bank_ids=None)
    latest = {}
    for year in FinancialYear.objects.filter(enterprise_id__in=ids).order_by(
        "enterprise_id", "year"
    ):
        latest[year.enterprise_id] = year
    chains_of: dict[int, set[str]] = defaultdict(set)
    for pk, code in EnterpriseNode.objects.filter(enterprise_id__in=ids).values_list(
        "enterprise_id", "node__chain__code"
    ):
        chains_of[pk].add(code)
    total = FunnelRow("total", "")
    by_zone = {z.code: FunnelRow(z.code, z.name) for z in zones.order_by("code")}
    by_chain = {c.code: FunnelRow(c.code, c.name) for c in Chain.objects.all()}
    by_stage = {s.value: FunnelRow(s.value, str(s.label)) for s in LifecycleStage}
    for enterprise in enterprises:
        entry = flags[enterprise.pk]
        total.add(entry)
        by_zone[enterprise.zone.code].add(entry)
        for code in chains_of[enterprise.pk]:
            by_chain[code].add(entry)
        fy = latest.get(enterprise.pk)
        stage = stage_of(enterprise, basis=Basis.DECLARED, on=today, figures=fy).stage
        by_stage[str(stage.value)].add(entry)
    return {
        "total": [total],
        "zones": list(by_zone.values()),
        "chains": list(by_chain.values()),
        "stages": list(by_stage.values()),
    }


def plain(funnel) -> dict:
    return {
        by: [(r.key, str(r.label), r.counts, r.offered, r.financed) for r in rows]
        for by, rows in funnel.items()
    }


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
    funnel.rebuild()  # written past the services, as rebuild_summaries would repair
    enterprise_summary.rebuild()  # the stages and verified flags a zone's cells read


def test_the_sql_funnel_equals_the_former_computation(setup):
    w, _made = setup
    more_enterprises(w, 24)
    today = timezone.localdate()
    ZoneFactory()  # a zone with no enterprise: every zone is not the two with some
    for zones in (
        Zone.objects.all(),  # every zone: the statements without zone filters
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
    # zones, how many zones there are, chains; a savepoint, JIT off, the zone × stage
    # cells, the chain cells, the savepoint released (no JIT setting on SQLite)
    assert len(queries) == (8 if connection.vendor == "postgresql" else 7)
