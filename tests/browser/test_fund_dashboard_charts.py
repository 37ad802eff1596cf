"""The fund dashboard in a real browser: the platform admin opens it from the funds' tabs,
sees the schemes' chart and the breakdown's chart drawn by ECharts with names (not codes)
on the axis, switches the breakdown to the lifecycle stage, reads it in English, all
without a Content-Security-Policy violation or a script error."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.worlds.browser import sign_in_as, watch_violations
from tests.worlds.fund_dashboard import DashboardWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAINTED = """(chart) => {
  const drawing = chart.querySelector("canvas, svg");
  if (!drawing || !drawing.clientWidth || !drawing.clientHeight) return false;
  const pixels = drawing.getContext("2d").getImageData(0, 0, drawing.width, drawing.height);
  return pixels.data.some((value, i) => i % 4 === 3 && value !== 0);
}"""


def drawn(page: Page, name: str) -> list[str]:
    """Wait for chart ``name`` to be painted; its category labels."""
    chart = page.locator(f'.fund-chart[data-chart="{name}"]')
    expect(chart).to_have_attribute("data-rendered", "true")
    page.wait_for_function(PAINTED, arg=chart.element_handle(), timeout=5000)
    return chart.evaluate("(el) => echarts.getInstanceByDom(el).getOption().xAxis[0].data")


def test_the_charts_are_drawn_for_each_breakdown_in_both_languages(page: Page, live_server):
    world = DashboardWorld()
    violations = watch_violations(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_as(page.context, live_server, world.admin)

    page.goto(live_server.url + "/funds/schemes/")
    page.get_by_test_id("tab-dashboard").click()
    expect(page.locator("main h1")).to_have_text("资金看板")
    assert world.pool.name in drawn(page, "schemes")
    labels = drawn(page, "bank")
    assert f"{world.pool.name} · {world.banks[0].name_zh}" in labels

    page.get_by_test_id("by-stage").click()
    expect(page).to_have_url(re.compile(r"\?by=stage$"))
    labels = drawn(page, "stage")
    assert f"{world.pool.name} · 成长期" in labels and not [x for x in labels if "growth" in x]

    page.get_by_test_id("lang-en").click()
    expect(page.locator("main h1")).to_have_text("Fund dashboard")
    labels = drawn(page, "stage")
    assert f"{world.pool.name} · Growth" in labels
    legend = page.locator('.fund-chart[data-chart="stage"]').evaluate(
        "(el) => echarts.getInstanceByDom(el).getOption().series.map((s) => s.name)"
    )
    assert legend == ["filed balance (CNY million)", "non-performing balance (CNY million)"]
    page.screenshot(path="/tmp/fund_dashboard.png", full_page=True)
    assert violations == [] and errors == []
