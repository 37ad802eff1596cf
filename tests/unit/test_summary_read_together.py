"""The platform dashboard reads the lead summary's breakdowns per zone, bank and product
and its totals from one statement (``insights.summary._read_together``, PostgreSQL's
``GROUPING SETS``): the same rows, keys, labels, order, sums and value types as the
grouped query per breakdown and the aggregate it replaces, including a group whose key
names no row of its label table (left out, as the per-breakdown query's join leaves it
out) and a sum with no row to add (None)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from ecosystem.financing import workflow
from ecosystem.financing.models import LeadSummary
from ecosystem.insights import summary
from ecosystem.insights.summary import SummaryScope
from ecosystem.zones.models import Zone
from tests.factories import BranchFactory, ProductVersionFactory, ZoneFactory
from tests.worlds.pipeline import Pipeline, second_zone

pytestmark = pytest.mark.django_db
DIMENSIONS = ("zone", "bank", "product", "branch")


def typed(rows):
    return [{name: (value, type(value)) for name, value in row.items()} for row in rows]


def test_breakdowns_and_totals_read_together_equal_one_query_each(require_postgres):
    world = Pipeline()
    second_zone(world)
    # A second bank's product in a third zone, and rows whose zone (and bank) were
    # deleted: kept in the totals, left out of the breakdowns.
    ProductVersionFactory(product__bank=BranchFactory(zones=[ZoneFactory()]).bank)
    # Labels in the opposite order in English: the groups come by the Chinese label.
    for n, zone in enumerate(Zone.objects.order_by("pk")):
        Zone.objects.filter(pk=zone.pk).update(name_zh=f"园区{n}", name_en=f"Zone {9 - n}")
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
    one_each = SummaryScope(read_once=True)
    together = replace(one_each, together=DIMENSIONS)
    for dimension in DIMENSIONS:
        expected = summary.group_rows(one_each, dimension)
        assert expected and typed(summary.group_rows(together, dimension)) == typed(expected)
    assert {row["zone_id"] for row in summary.group_rows(together, "zone")} == {
        row.zone_id for row in LeadSummary.objects.exclude(zone_id=987654)
    }
    totals = summary.scope_totals(one_each)
    assert totals["offered"] == Decimal("1500012.30")  # 300k + 400k + 800k + 12.30
    assert typed([summary.scope_totals(together)]) == typed([totals])
    # no open lead left: the sum filtered on the open statuses adds nothing (None) either way
    LeadSummary.objects.filter(status__in=workflow.OPEN).delete()
    fresh = SummaryScope(read_once=True)
    assert summary.scope_totals(fresh)["s_unanswered_open"] is None
    assert typed([summary.scope_totals(replace(fresh, together=DIMENSIONS))]) == typed(
        [summary.scope_totals(fresh)]
    )
