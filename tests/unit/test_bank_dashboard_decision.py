"""Time to decision on the bank dashboard: median and 90th percentile working hours to
first contact and to decision, and the share decided within the product's promise, by
product and by branch; each figure recomputed lead by lead from the world's moments."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from ecosystem.core.worktime import working_hours_between
from ecosystem.financing.models import Lead
from ecosystem.insights import decision as decision_of
from tests.worlds.decision_times import EXPECTED_HOURS, NOW, DecisionWorld
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db
D = Decimal


def test_each_lead_s_working_hours_are_the_ones_counted_by_hand():
    world = DecisionWorld()
    for name, (contact, decision) in EXPECTED_HOURS.items():
        lead = world.leads[name]
        if contact is not None:
            assert working_hours_between(lead.created_at, lead.first_contact_at) == contact, name
            assert working_hours_between(lead.created_at, lead.decided_at) == decision, name
        else:
            assert (lead.first_contact_at, lead.decided_at) == (None, None)


def test_figures_by_product():
    world = DecisionWorld()
    rows = {
        r["key"]: r
        for r in decision_of.decision_by(leads=Lead.objects.all(), dimension="product", now=NOW)
    }
    a, b = rows[world.product("a").pk], rows[world.product("b").pk]
    # a: contact 2 and 4 h, decision 9 and 36 h; l1 on time, l2 late, l3 past due undecided.
    assert (a["leads"], a["contacted"], a["decided"]) == (3, 2, 2)
    assert (a["contact_median_hours"], a["contact_p90_hours"]) == (D("3.0"), D("3.8"))
    assert (a["decision_median_hours"], a["decision_p90_hours"]) == (D("22.5"), D("33.3"))
    assert (a["decision_due"], a["decided_on_time"], a["decided_on_time_share"]) == (
        3,
        1,
        D("33.3"),
    )
    # b: l4 alone was contacted (1 h) and decided (8 h), on time; l5 is not due yet.
    assert (b["leads"], b["contact_median_hours"], b["contact_p90_hours"]) == (
        2,
        D("1.0"),
        D("1.0"),
    )
    assert (b["decision_median_hours"], b["decision_p90_hours"]) == (D("8.0"), D("8.0"))
    assert (b["decision_due"], b["decided_on_time"], b["decided_on_time_share"]) == (
        1,
        1,
        D("100.0"),
    )


def test_figures_by_branch_and_overall():
    world = DecisionWorld()
    rows = {
        r["key"]: r
        for r in decision_of.decision_by(leads=Lead.objects.all(), dimension="branch", now=NOW)
    }
    b1, b2 = rows[world.branches["b1"].pk], rows[world.branches["b2"].pk]
    assert (b1["leads"], b1["decision_median_hours"], b1["decided_on_time_share"]) == (
        2,
        D("22.5"),
        D("50.0"),
    )
    # b2: l3 (past due, undecided), l4 (on time), l5 (not due).
    assert (b2["leads"], b2["decision_due"], b2["decided_on_time"]) == (3, 2, 1)
    assert b2["contact_median_hours"] == D("1.0")
    overall = decision_of.decision_overall(leads=Lead.objects.all(), now=NOW)
    # contact 1, 2, 4 → median 2; decision 8, 9, 36 → median 9; on time l1, l4 of l1–l4.
    assert (overall["contact_median_hours"], overall["decision_median_hours"]) == (
        D("2.0"),
        D("9.0"),
    )
    assert (overall["decision_due"], overall["decided_on_time"]) == (4, 2)


def test_no_lead_gives_no_figure():
    DecisionWorld()
    overall = decision_of.decision_overall(leads=Lead.objects.none(), now=NOW)
    assert overall["leads"] == 0
    assert overall["decision_median_hours"] is None
    assert overall["decided_on_time_share"] is None


def test_the_page_and_its_export_show_time_to_decision():
    world = DecisionWorld()
    client = client_for(world.manager)
    page = client.get(reverse("financing_bank_dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    tables = page.context["tables"]
    rows = {r[0]: r for r in tables["decision_branches"]["rows"]}
    b1 = rows[world.branches["b1"].name]
    assert b1[1:] == [2, D("3.0"), D("3.8"), 2, D("22.5"), D("33.3"), "50.0%"]
    assert 'data-testid="table-decision_products"' in page.content.decode()
    export = client.get(
        reverse("financing_bank_dashboard_export", args=["decision_products", "csv"])
    )
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == 3  # header, product a, product b
    assert "22.5" in table[1] or "22.5" in table[2]
