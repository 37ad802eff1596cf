"""A dashboard column of money shows its cells in 万元 (or CNY million) with the unit in
each cell: its heading on the page drops the export's "(yuan)", which would contradict
them; the export keeps it (exact yuan). Other columns keep their headings."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from ecosystem.core.amounts import Money
from ecosystem.core.templatetags.money import page_header, without_yuan
from tests.worlds.fund_dashboard import DashboardWorld


def test_page_header_drops_the_unit_of_money_columns_only():
    table = {
        "header": ["scheme", "金额（元）", "amount (yuan)", "loans", "ratio (yuan)"],
        "rows": [
            ["A", Money("10000.00"), Money("1.00"), 3, Decimal("2.50")],
            ["B", None, Money("2.00"), 4, Decimal("1.00")],
        ],
    }
    assert page_header(table) == ["scheme", "金额", "amount", "loans", "ratio (yuan)"]
    assert page_header({"header": ["金额（元）"], "rows": []}) == ["金额（元）"]  # no cells


@pytest.mark.parametrize(
    ("heading", "shown"),
    [("已放款（元）", "已放款"), ("financed (yuan)", "financed"), ("loans", "loans")],
)
def test_without_yuan(heading, shown):
    assert without_yuan(heading) == shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "short"),
    [("zh-hans", "备案余额", "805.00万元"), ("en", "filed balance", "CNY 8.05 million")],
)
def test_the_fund_dashboard_page_heads_money_columns_without_yuan(language, heading, short):
    world = DashboardWorld()
    client = Client(headers={"accept-language": language})
    client.force_login(world.fm)
    html = client.get("/funds/dashboard/").content.decode()
    start = html.index('data-testid="table-schemes"')
    section = html[start : html.index("</section>", start)]
    headings = re.findall(r"<th[^>]*>(.*?)</th>", section)
    assert heading in headings, headings
    assert not [h for h in headings if "元）" in h or "(yuan)" in h], headings
    assert short in section
    with translation.override(language):
        export = client.get("/funds/dashboard/export/schemes/csv/")
    first = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert {"zh-hans": "备案余额（元）", "en": "filed balance (yuan)"}[language] in first
