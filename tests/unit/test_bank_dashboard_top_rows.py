"""The bank dashboard page lists, per table, only the rows with the most leads (the
platform admin's lists 1,500 branches nationally); the export keeps every row."""

from __future__ import annotations

import csv
import io

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ecosystem.financing.summary_recount import summaries_rebuild
from ecosystem.insights import summary as summary_of
from ecosystem.insights.summary import SummaryScope
from ecosystem.insights.views import bank as bank_views
from tests.factories import (
    BankManagerFactory,
    BranchFactory,
    EnterpriseFactory,
    LeadFactory,
    ZoneFactory,
)
from tests.worlds.leads import World, client_for
from tests.worlds.plans import assert_export_reads_only_its_table

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_branches_with_most_leads_and_the_export_all(monkeypatch):
    monkeypatch.setattr(bank_views, "ROWS_SHOWN", 2)
    world = World()  # one lead at world.branch
    busy, quiet = (BranchFactory(bank=world.bank, zones=[world.enterprise.zone]) for _ in "ab")
    for branch in (busy, busy, busy, quiet, quiet):
        firm = EnterpriseFactory(zone=world.enterprise.zone)
        LeadFactory(enterprise=firm, product_version=world.version, branch=branch)
    client = client_for(world.manager)

    tables = client.get(reverse("financing_bank_dashboard")).context["tables"]
    shown = tables["branches"]["rows"]
    assert [(row[0], row[1]) for row in shown] == [(busy.name, 3), (quiet.name, 2)]
    assert tables["branches"]["total_rows"] == 3
    decided = tables["decision_branches"]
    assert [row[0] for row in decided["rows"]] == [busy.name, quiet.name]
    assert decided["total_rows"] == 3
    scope = SummaryScope(q=Q(bank_id__in=[world.bank.pk]))
    now = timezone.now()
    every = summary_of.decision_by(scope, dimension="branch", now=now)
    top = summary_of.decision_by(scope, dimension="branch", now=now, top=2)
    assert top == [row for row in every if row["label"] in (busy.name, quiet.name)]
    page = client.get(reverse("financing_bank_dashboard")).content.decode()
    assert 'data-testid="rows-shown-branches"' in page
    assert 'data-testid="rows-shown-amounts"' not in page  # a short table is whole

    export = client.get(reverse("financing_bank_dashboard_export", args=["branches", "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert sorted(row[1] for row in rows[1:]) == ["1", "2", "3"]  # every branch


def test_top_rows_keeps_short_tables_and_orders_ties_as_given():
    table = {"rows": [["a", 1], ["b", 5], ["c", 1], ["d", 5]]}
    assert bank_views.top_rows(table, limit=4) is table
    cut = bank_views.top_rows(table, limit=3)
    assert cut["rows"] == [["b", 5], ["d", 5], ["a", 1]] and cut["total_rows"] == 4


@pytest.mark.parametrize("value", [None, "", 2, "2"])
def test_the_quick_branch_select_renders_as_djangos_select(value):
    import re

    from django import forms

    from ecosystem.core.widgets import QuickSelect

    choices = [("", "---------"), (1, "A & B 支行"), (2, "<x>")]
    attrs = {"id": "id_branch", "required": False}

    def squeeze(html: str) -> str:
        return re.sub(r">\s+<", "><", html.strip())

    assert squeeze(QuickSelect(choices=choices).render("branch", value, attrs=attrs)) == squeeze(
        forms.Select(choices=choices).render("branch", value, attrs=attrs)
    )


@pytest.mark.parametrize(
    ("table", "reads", "skips"),
    [
        ("chains", "financing_chainleadsummary", "financing_leadduration"),
        ("decision_products", "financing_leadduration", "financing_chainleadsummary"),
    ],
)
def test_an_export_computes_only_its_own_table(table, reads, skips):
    """A bank dashboard export reads the figures of its one table, not the whole page's."""
    zone = ZoneFactory()
    branch = BranchFactory(zones=[zone])
    client = client_for(BankManagerFactory(bank=branch.bank))
    summaries_rebuild()
    assert_export_reads_only_its_table(
        client,
        reverse("financing_bank_dashboard_export", args=[table, "csv"]),
        reverse("financing_bank_dashboard"),
        reads=reads,
        skips=skips,
    )
