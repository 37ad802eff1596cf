"""GET /api/v1/financing/dashboard/: time to first contact and to decision in working
hours, overall and by product, branch, zone and chain (the figures of
``tests/worlds/decision_times``, counted by hand)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import BankStaffFactory, api_key_for
from tests.worlds.decision_times import DecisionWorld

pytestmark = pytest.mark.django_db
URL = "api-financing-dashboard"


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


def test_the_dashboard_api_gives_time_to_decision():
    world = DecisionWorld()
    decision = api(world.manager).get(reverse(URL)).json()["decision"]
    products = {row["key"]: row for row in decision["products"]}
    a = products[world.product("a").pk]
    assert (a["contact_median_hours"], a["contact_p90_hours"]) == ("3.0", "3.8")
    assert (a["decision_median_hours"], a["decision_p90_hours"]) == ("22.5", "33.3")
    assert (a["decision_due"], a["decided_on_time"], a["decided_on_time_share"]) == (3, 1, "33.3")
    overall = decision["overall"]
    assert (overall["leads"], overall["decided"], overall["decision_median_hours"]) == (5, 3, "9.0")
    branches = {row["key"]: row["leads"] for row in decision["branches"]}
    assert branches == {world.branches["b1"].pk: 2, world.branches["b2"].pk: 3}
    assert sum(row["leads"] for row in decision["zones"]) == 5
    assert decision["chains"] == []


def test_a_relationship_manager_sees_the_figures_of_their_branch_only():
    world = DecisionWorld()
    rm = BankStaffFactory(branch=world.branches["b1"])
    decision = api(rm).get(reverse(URL)).json()["decision"]
    assert decision["overall"]["leads"] == 2
    assert [row["key"] for row in decision["branches"]] == [world.branches["b1"].pk]
