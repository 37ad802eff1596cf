"""The platform dashboard reads the lead summary's breakdowns per zone, bank and product
and its totals from one statement (``insights.grouped.read_together``, PostgreSQL's
``GROUPING SETS``), and every breakdown groups its rows by key before joining the labels
(``labelled_after``): the same rows, keys, labels, order, sums and value types as the
ORM's grouped query per breakdown (``values(key, labels).annotate(...)``) and aggregate,
including a group whose key names no row of its label table (left out, as the ORM's join
leaves it out) and a sum with no row to add (None)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from ecosystem.chains.models import Chain
from ecosystem.financing import workflow
from ecosystem.financing.models import ChainLeadSummary, LeadSummary
from ecosystem.insights import summary
from ecosystem.insights.summary import SummaryScope
from ecosystem.zones.models import Zone
from tests.factories import BranchFactory, ProductVersionFactory, ZoneFactory
from tests.worlds.pipeline import Pipeline, second_zone

pytestmark = pytest.mark.django_db
DIMENSIONS = ("zone", "bank", "product", "branch")


def typed(rows):
    return [{name: (value, type(value)) for name, value in row.items()} for row in rows]


def orm(monkeypatch, read):
    """``read()`` as the ORM's queries answer it."""
    with monkeypatch.context() as patched:
        patched.setattr(summary, "together_here", lambda: False)
        return read()


def test_breakdowns_and_totals_read_together_equal_one_query_each(require_postgres, monkeypatch):
    world = Pipeline()
    second_zone(world)
    # A second bank's product in a third zone, and rows whose zone (and bank) were
    # deleted: kept in the totals, left out of the breakdowns.
    ProductVersionFactory(product__bank=BranchFactory(zones=[ZoneFactory()]).bank)
    # Labels in the opposite order in English and by id: the groups come by the Chinese label.
    for n, zone in enumerate(Zone.objects.order_by("pk")):
        Zone.objects.filter(pk=zone.pk).update(name_zh=f"园区{9 - n}", name_en=f"Zone {n}")
    # The chains in an order of their own, not their ids'.
    for n, chain in enumerate(Chain.objects.order_by("pk")):
        Chain.objects.filter(pk=chain.pk).update(position=100 - n)
    row = LeadSummary.objects.first()
    LeadSummary.objects.create(
        bank_id=row.bank_id,
        branch_id=row.branch_id,
        product_id=row.product_id,
        zone_id=987654,
        status="new",
        reached=0,
        leads=3,
        offered_amount=Decimal("12.30"),
    )
    LeadSummary.objects.create(
        bank_id=987655,
        branch_id=row.branch_id,
        product_id=row.product_id,
        zone_id=row.zone_id,
        status="declined",
        reached=0,
        leads=2,
    )
    # Every chain's rows (the world places no firm), and a deleted chain's.
    for n, chain_id in enumerate(
        [*Chain.objects.order_by("-pk").values_list("pk", flat=True), 987656]
    ):
        ChainLeadSummary.objects.create(
            chain_id=chain_id,
            bank_id=row.bank_id,
            branch_id=row.branch_id,
            product_id=row.product_id,
            zone_id=row.zone_id,
            status="contacted",
            reached=2,
            leads=n + 1,
            contacted=n,
            disbursed_amount=Decimal(n),
        )
    one_each = SummaryScope(read_once=True)
    together = replace(one_each, together=DIMENSIONS)
    for dimension in (*DIMENSIONS, "chain"):
        expected = orm(monkeypatch, lambda: summary.group_rows(one_each, dimension))
        assert expected
        for scope in (together, SummaryScope(read_once=True), SummaryScope()):
            if not scope.read_once:
                expected = orm(monkeypatch, lambda: summary.group_rows(SummaryScope(), dimension))
            assert typed(summary.group_rows(scope, dimension)) == typed(expected), dimension
    assert {row["zone_id"] for row in summary.group_rows(together, "zone")} == {
        row.zone_id for row in LeadSummary.objects.exclude(zone_id=987654)
    }
    totals = orm(monkeypatch, lambda: summary.scope_totals(one_each))
    assert totals["offered"] == Decimal("1500012.30")  # 300k + 400k + 800k + 12.30
    assert typed([summary.scope_totals(together)]) == typed([totals])
    # no open lead left: the sum filtered on the open statuses adds nothing (None) either way
    LeadSummary.objects.filter(status__in=workflow.OPEN).delete()
    fresh = SummaryScope(read_once=True)
    expected = orm(monkeypatch, lambda: summary.scope_totals(fresh))
    assert expected["s_unanswered_open"] is None
    assert typed([summary.scope_totals(replace(fresh, together=DIMENSIONS))]) == typed([expected])
