"""The zone and platform dashboards' policy-fund panel: per scheme its fund, filed balance,
headroom, leverage used, non-performing ratio, compensation and subsidies paid; a zone sees
the schemes it owns or is eligible for, the platform every scheme; shown in 万元, exported
in exact yuan with translated headings."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import ZoneOfficialFactory
from tests.worlds.fund_dashboard import DashboardWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return DashboardWorld()


def _client(user, language="zh-hans"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _panel(html: str) -> str:
    start = html.index('data-testid="table-schemes"')
    return html[start : html.index("</section>", start)]


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_zone_sees_the_schemes_it_owns_or_is_eligible_for(world):
    panel = _panel(_client(world.official_b).get(reverse("zone_dashboard")).content.decode())
    for scheme in (world.pool, world.city_pool, world.subsidy):
        assert scheme.name in panel
    assert world.far_pool.name not in panel
    assert "805.00万元" in panel and "45.96%" in panel and "0.81×" in panel
    official_a = ZoneOfficialFactory(zone=world.zone_a)
    panel = _panel(_client(official_a).get(reverse("zone_dashboard")).content.decode())
    assert world.pool.name in panel
    assert world.city_pool.name not in panel and world.subsidy.name not in panel


def test_the_zone_panel_exports_exact_yuan(world):
    url = reverse("zone_dashboard_export", args=["schemes", "csv"])
    lines = _csv(_client(world.official_b, "en").get(url, {"zone": world.zone_b.pk}))
    assert lines[0] == [
        "scheme",
        "fund (yuan)",
        "filed balance (yuan)",
        "headroom (yuan)",
        "leverage used",
        "non-performing ratio",
        "compensation paid (yuan)",
        "subsidies paid (yuan)",
    ]
    rows = {line[0]: line[1:] for line in lines[1:]}
    assert set(rows) == {world.pool.name, world.city_pool.name, world.subsidy.name}
    assert rows[world.pool.name] == [
        "10000000.00",
        "8050000.00",
        "41950000.00",
        "0.81×",
        "45.96%",
        "750000.00",
        "0.00",
    ]
    # a subsidy scheme has no headroom nor leverage
    assert rows[world.subsidy.name] == ["10000000.00", "0.00", "", "", "0.00%", "0.00", "2000.75"]


def test_the_platform_sees_every_scheme_in_both_languages(world):
    html = _client(world.admin, "en").get(reverse("platform_dashboard")).content.decode()
    panel = _panel(html)
    assert "Policy fund schemes" in panel and "CNY 8.05 million" in panel
    assert ">None<" not in panel
    for scheme in (world.pool, world.city_pool, world.subsidy, world.far_pool):
        assert scheme.name in panel
    url = reverse("platform_dashboard_export", args=["schemes", "xlsx"])
    response = _client(world.admin).get(url)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["资金方案", "资金规模（元）", "备案余额（元）", "剩余备案额度（元）"]
    assert len(rows) == 5
    assert "政策性资金方案" in _panel(
        _client(world.admin).get(reverse("platform_dashboard")).content.decode()
    )
