"""GET /api/v1/funds/dashboard/: the same figures as the page, row for row (exact yuan),
for the same people; a breakdown that does not exist is a 400; the zone and platform
dashboards' API carry the schemes' panel."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from ecosystem.funds.dashboard import DIMENSIONS
from ecosystem.funds.dashboard.tables import export_table, percent
from tests.factories import EnterpriseMemberFactory, api_key_for
from tests.worlds.fund_dashboard import DashboardWorld
from tests.worlds.tokens import token_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/funds/dashboard/"


@pytest.fixture
def world():
    return DashboardWorld()


def _api(user, language="en"):
    client = APIClient(headers={"accept-language": language})
    client.force_authenticate(user)
    return client


def _money(value) -> Decimal:
    return Decimal(value)


@pytest.mark.parametrize("by", DIMENSIONS)
def test_the_api_rows_are_the_pages_rows(world, by):
    body = _api(world.admin).get(URL, {"by": by}).json()
    assert body["by"] == by
    with translation.override("en"):
        page = export_table(user=world.admin, table=by)["rows"]
        schemes = export_table(user=world.admin, table="schemes")["rows"]
    assert [
        [
            row["scheme"],
            row["label"],
            _money(row["filed_balance"]),
            row["loans"],
            row["firms"],
            _money(row["non_performing"]),
            percent(row["npl_ratio"]),
            _money(row["claimed"]),
            _money(row["approved"]),
            _money(row["paid"]),
            _money(row["subsidies_paid"]),
        ]
        for row in body["rows"]
    ] == page
    assert [
        [
            s["scheme"],
            s["kind_label"],
            _money(s["fund"]),
            "" if s["headroom"] is None else _money(s["headroom"]),
        ]
        for s in body["schemes"]
    ] == [[r[0], r[1], r[2], r[5]] for r in schemes]


def test_the_pages_figures_in_the_html_match_the_api(world):
    """The pool's filed balance and headroom: on the page (exact yuan on hover) and in the API."""
    body = _api(world.fm).get(URL).json()
    (pool,) = body["schemes"]
    assert (pool["filed_balance"], pool["headroom"], pool["leverage_used"]) == (
        "8050000.00",
        "41950000.00",
        "0.81",
    )
    assert pool["npl_ratio"] == "0.4596"
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(world.fm)
    html = client.get("/funds/dashboard/").content.decode()
    assert "8,050,000.00" in html and "41,950,000.00" in html and "45.96%" in html


def test_a_bank_manager_gets_their_banks_rows_and_labels_follow_the_language(world):
    body = _api(world.manager, "zh-hans").get(URL, {"by": "bank"}).json()
    assert {row["label"] for row in body["rows"]} == {world.banks[0].name_zh}
    assert {row["key"] for row in body["rows"]} == {str(world.banks[0].pk)}
    stages = _api(world.admin, "zh-hans").get(URL, {"by": "stage"}).json()["rows"]
    assert {row["key"] for row in stages} <= {"startup", "growth", "maturity", None}
    assert "成长期" in {row["label"] for row in stages}


def test_who_may_call_it(world):
    assert APIClient().get(URL).status_code in (401, 403)
    member = EnterpriseMemberFactory(enterprise=world.firms["mid"])
    assert _api(member).get(URL).status_code == 404
    assert _api(world.admin).get(URL, {"by": "branch"}).status_code == 400
    response = token_client(api_key_for(world.manager)).get(URL)  # a read-only token
    assert response.status_code == 200, response.content
    assert {row["label"] for row in response.json()["rows"]} == {world.banks[0].name_en}


def test_the_schema_documents_the_endpoint():
    schema = Client().get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/funds/dashboard/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"by"}
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/FundDashboard")
    rows = schema["components"]["schemas"]["BreakdownRow"]["properties"]
    assert {"filed_balance", "npl_ratio", "subsidies_paid", "label", "key"} <= set(rows)


def test_the_zone_and_platform_dashboards_api_carry_the_schemes(world):
    zone = _api(world.official_b).get("/api/v1/zones/dashboard/").json()
    assert {s["scheme"] for s in zone["schemes"]} == {
        world.pool.name,
        world.city_pool.name,
        world.subsidy.name,
    }
    platform = _api(world.admin).get("/api/v1/platform/dashboard/").json()
    by_name = {s["scheme"]: s for s in platform["schemes"]}
    assert len(by_name) == 4
    assert by_name[world.pool.name]["filed_balance"] == "8050000.00"
    assert by_name[world.subsidy.name]["subsidies_paid"] == "2000.75"
