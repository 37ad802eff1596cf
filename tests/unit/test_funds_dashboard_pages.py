"""The fund dashboard page and its exports: a breakdown chosen by bank, zone, chain or
stage; names in the page's language, never codes; amounts in 万元 (or millions) on the
page and in the charts, exact yuan in CSV and XLSX with translated headings."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from ecosystem.funds.dashboard import DIMENSIONS, fund_dashboard
from tests.worlds.fund_dashboard import DashboardWorld

pytestmark = pytest.mark.django_db

URL = "/funds/dashboard/"


@pytest.fixture
def world():
    return DashboardWorld()


def _client(user, language):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _section(html: str, name: str) -> str:
    start = html.index(f'data-testid="table-{name}"')
    return html[start : html.index("</section>", start)]


def _chart_data(html: str) -> dict:
    found = re.search(
        r'<script id="fund-dashboard-data" type="application/json">(.*?)</script>', html
    )
    return json.loads(found.group(1))


def _names(world, language):
    with translation.override(language):
        return {
            "bank": world.banks[0].name,
            "zone": world.zone_b.name,
            "chain": world.chain_y.name,
            "stage": {"en": "Growth", "zh-hans": "成长期"}[language],
        }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_each_breakdown_shows_names_in_the_pages_language_never_codes(world, language):
    client = _client(world.admin, language)
    codes = [world.banks[0].code, world.zone_b.code, world.chain_y.code, "startup", "maturity"]
    for by, name in _names(world, language).items():
        html = client.get(URL, {"by": by}).content.decode()
        assert re.search(rf'nav-link active"[^>]*href="\?by={by}"', html), by
        table = _section(html, by)
        assert name in table, (by, language)
        assert not [code for code in codes if re.search(rf">\s*{re.escape(code)}\s*<", table)]
        assert "not on a chain" not in table or language == "en"


def test_an_unknown_breakdown_shows_the_banks(world):
    html = _client(world.admin, "en").get(URL, {"by": "branch"}).content.decode()
    assert 'data-testid="table-bank"' in html


@pytest.mark.parametrize(
    ("language", "short", "unit"),
    [("zh-hans", "805.00万元", "万元"), ("en", "CNY 8.05 million", "CNY million")],
)
def test_amounts_in_ten_thousands_or_millions_on_the_page_and_in_the_charts(
    world, language, short, unit
):
    html = _client(world.fm, language).get(URL, {"by": "stage"}).content.decode()
    assert short in _section(html, "schemes")  # the pool's filed balance, ¥8,050,000
    assert "8,050,000.00" in _section(html, "schemes")  # the exact yuan on hover
    admin_html = _client(world.admin, language).get(URL).content.decode()
    assert ">None<" not in admin_html  # a subsidy scheme's headroom is blank
    data = _chart_data(html)
    assert data["by"] == "stage" and data["text"]["unit"] == unit
    with translation.override(language):
        labels = [row["label"] for row in fund_dashboard(user=world.fm, by="stage")]
    assert data["breakdown"]["labels"] == labels
    factor = Decimal(10000) if language == "zh-hans" else Decimal(1000000)
    assert [Decimal(v) for v in data["breakdown"]["filed"]] == [
        (Decimal(v) / factor).quantize(Decimal("0.01")) for v in (2650000, 1400000, 4000000)
    ]
    assert [Decimal(v) for v in data["schemes"]["filed"]] == [Decimal(8050000) / factor]
    assert 'data-chart="stage"' in html and 'data-chart="schemes"' in html


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("by", DIMENSIONS)
def test_each_breakdown_exports_exact_yuan_in_csv_and_xlsx(world, by):
    with translation.override("en"):
        rows = fund_dashboard(user=world.admin, by=by)
    lines = _csv(
        _client(world.admin, "en").get(reverse("funds:fund_dashboard_export", args=[by, "csv"]))
    )
    assert lines[0][:3] == [
        "scheme",
        {"bank": "bank", "zone": "zone", "chain": "industrial chain", "stage": "lifecycle stage"}[
            by
        ],
        "filed balance (yuan)",
    ]
    assert [line[:4] for line in lines[1:]] == [
        [row["scheme"].name, row["label"], f"{row['filed_balance']:.2f}", str(row["loans"])]
        for row in rows
    ]
    assert [line[9] for line in lines[1:]] == [f"{row['paid']:.2f}" for row in rows]
    with translation.override("zh-hans"):
        rows = fund_dashboard(user=world.admin, by=by)
    sheet = _xlsx(
        _client(world.admin, "zh-hans").get(
            reverse("funds:fund_dashboard_export", args=[by, "xlsx"])
        )
    )
    assert sheet[0][0] == "资金方案" and sheet[0][2] == "备案余额（元）"
    assert [(line[1], Decimal(str(line[2])), Decimal(str(line[7]))) for line in sheet[1:]] == [
        (row["label"], row["filed_balance"], row["claimed"]) for row in rows
    ]


def test_the_schemes_table_exports_fund_headroom_and_leverage(world):
    lines = _csv(
        _client(world.fm, "zh-hans").get(
            reverse("funds:fund_dashboard_export", args=["schemes", "csv"])
        )
    )
    assert lines[0][:6] == [
        "资金方案",
        "类型",
        "资金规模（元）",
        "已用放大倍数",
        "放大倍数上限",
        "剩余备案额度（元）",
    ]
    assert lines[1][:7] == [
        world.pool.name,
        "风险补偿资金池",
        "10000000.00",
        "0.81×",
        "5.00×",
        "41950000.00",
        "8050000.00",
    ]
    assert len(lines) == 2  # the fund manager's one scheme


def test_exports_answer_only_who_sees_the_dashboard(world):
    from tests.factories import EnterpriseMemberFactory

    member = _client(EnterpriseMemberFactory(enterprise=world.firms["mid"]), "en")
    assert (
        member.get(reverse("funds:fund_dashboard_export", args=["zone", "csv"])).status_code == 404
    )
    admin = _client(world.admin, "en")
    assert (
        admin.get(reverse("funds:fund_dashboard_export", args=["branch", "csv"])).status_code == 404
    )
    assert (
        admin.get(reverse("funds:fund_dashboard_export", args=["zone", "pdf"])).status_code == 404
    )
    # a bank manager's export holds their bank's loans only
    lines = _csv(
        _client(world.manager, "en").get(
            reverse("funds:fund_dashboard_export", args=["bank", "csv"])
        )
    )
    assert {line[1] for line in lines[1:]} == {world.banks[0].name_en}
