"""The platform dashboard in a real browser: the platform admin opens it from the
navigation, compares two zones with data in the table, sees the three charts drawn by
ECharts, reads the page in English and back in Chinese, and downloads the zones table as
CSV, all without a Content-Security-Policy violation; a zone official finds no such page."""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ecosystem.core.templatetags.money import without_yuan
from ecosystem.zones.models import Zone
from tests.factories import PlatformAdminFactory, ZoneOfficialFactory
from tests.worlds.browser import sign_in_as, watch_violations
from tests.worlds.pipeline import Pipeline, second_zone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/platform/dashboard/"
CHARTS = ("funnel", "zones", "ageing")

PAINTED = """(chart) => {
  const drawing = chart.querySelector("canvas, svg");
  if (!drawing || !drawing.clientWidth || !drawing.clientHeight) return false;
  if (drawing.tagName.toLowerCase() === "svg") return drawing.querySelector("path, rect, text");
  const pixels = drawing.getContext("2d").getImageData(0, 0, drawing.width, drawing.height);
  return pixels.data.some((value, i) => i % 4 === 3 && value !== 0);
}"""


def expect_charts_drawn(page: Page) -> None:
    """Each chart element holds a canvas (or svg) of non-zero size with something painted on
    it; ECharts paints on the next animation frame, so the check waits for it."""
    for name in CHARTS:
        chart = page.locator(f'.platform-chart[data-chart="{name}"]')
        expect(chart).to_have_attribute("data-rendered", "true")
        drawing = chart.locator("canvas, svg").first
        expect(drawing).to_be_visible()
        box = drawing.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, name
        page.wait_for_function(PAINTED, arg=chart.element_handle(), timeout=5000)


def zone_row(page: Page, name: str) -> list[str]:
    row = (
        page.get_by_test_id("table-zones")
        .locator("tbody tr")
        .filter(has=page.locator("td").first.filter(has_text=re.compile(f"^{re.escape(name)}$")))
    )
    expect(row).to_have_count(1)
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def test_admin_compares_zones_reads_charts_in_both_languages_and_exports_csv(
    page: Page, live_server
):
    world = Pipeline()  # five leads in the home zone: three offers, one disbursed
    home = world.enterprise.zone
    other = second_zone(world)  # two enterprises: an old waiting claim, an overdue lead
    admin = PlatformAdminFactory()
    violations = watch_violations(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_as(page.context, live_server, admin)

    page.goto(live_server.url + "/")
    page.get_by_test_id("nav-platform-dashboard").click()
    expect(page).to_have_url(live_server.url + URL)
    expect(page.locator("main h1")).to_have_text("平台看板")
    expect(page).to_have_title(re.compile("^平台看板"))

    rows = page.get_by_test_id("table-zones").locator("tbody tr")
    expect(rows).to_have_count(Zone.objects.count())
    # zone, registered, verified, verified share, matched, lead, offer, disbursed,
    # amount disbursed, claims waiting, past target, SLA compliance, overdue now
    assert zone_row(page, home.name_zh) == [
        home.name_zh, "5", "0", "0.0%", "0", "5", "3", "1", "75.00万元", "0", "0", "100.0%", "0",
    ]  # fmt: skip
    assert zone_row(page, other.name_zh) == [
        other.name_zh, "2", "0", "0.0%", "1", "1", "0", "0", "0.00万元", "1", "1", "0.0%", "1",
    ]  # fmt: skip
    expect(page.get_by_test_id("figure-waiting")).to_have_text("1")
    expect(page.get_by_test_id("figure-overdue")).to_have_text("1")
    expect_charts_drawn(page)
    zones_chart = page.locator('.platform-chart[data-chart="zones"]')
    labels = zones_chart.evaluate("(el) => echarts.getInstanceByDom(el).getOption().xAxis[0].data")
    assert home.name_zh in labels and other.name_zh in labels

    page.get_by_test_id("lang-en").click()
    expect(page.locator("main h1")).to_have_text("Platform dashboard")
    expect(page).to_have_url(live_server.url + URL)
    expect(page).to_have_title(re.compile("^Platform dashboard"))
    assert zone_row(page, home.name_en)[:8] == [home.name_en, "5", "0", "0.0%", "0", "5", "3", "1"]
    expect_charts_drawn(page)

    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("main h1")).to_have_text("平台看板")
    expect(page).to_have_url(live_server.url + URL)
    expect_charts_drawn(page)

    header = [
        text.strip()
        for text in page.get_by_test_id("table-zones").locator("thead th").all_inner_texts()
    ]
    with page.expect_download() as download_info:
        page.get_by_test_id("export-zones-csv").click()
    download = download_info.value
    assert download.suggested_filename == "platform-zones.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    exported = list(csv.reader(text.splitlines()))
    # the same columns; a money column's heading keeps its unit in the export only (the
    # page's cells say 万元 themselves)
    assert [without_yuan(h) for h in exported[0]] == header and header[0] == "园区"
    assert exported[0][8] == "放款金额（元）" and header[8] == "放款金额"
    # The amount is a plain number; SQLite sums it to "750000", PostgreSQL to "750000.00".
    by_zone = {row[0]: row[:8] + [Decimal(row[8])] + row[9:] for row in exported[1:]}
    assert len(exported) == 1 + Zone.objects.count() == 1 + len(by_zone)
    assert by_zone[home.name_zh] == [
        home.name_zh, "5", "0", "0.0%", "0", "5", "3", "1", Decimal("750000"),
        "0", "0", "100.0%", "0",
    ]  # fmt: skip
    assert by_zone[other.name_zh] == [
        other.name_zh, "2", "0", "0.0%", "1", "1", "0", "0", Decimal("0"), "1", "1", "0.0%", "1",
    ]  # fmt: skip

    assert violations == []
    assert errors == []


def test_a_zone_official_finds_no_platform_dashboard(page: Page, live_server):
    world = Pipeline()
    official = ZoneOfficialFactory(zone=world.enterprise.zone)
    sign_in_as(page.context, live_server, official)

    page.goto(live_server.url + "/")
    expect(page.get_by_test_id("nav-zone-dashboard")).to_be_visible()
    expect(page.get_by_test_id("nav-platform-dashboard")).to_have_count(0)

    for path in (URL, URL + "export/zones/csv/"):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 404, path
        # The styled 404 names whom the page is for (issue #18), and shows no figure.
        expect(page.get_by_test_id("role-mismatch")).to_be_visible()
        expect(page.get_by_test_id("table-zones")).to_have_count(0)
