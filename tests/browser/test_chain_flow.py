"""The chain view in a real browser: a zone official opens a chain, clicks a node in the
ECharts tree and sees its enterprises; a leader confirms a supplier, and the supplier then
finds the supply-chain product among its matches."""

import contextlib
import re

import pytest
from playwright.sync_api import Page, expect

from ecosystem.chains import services as cs
from ecosystem.chains.models import SupplierLink
from tests.worlds.browser import accept_dialogs, sign_in_as
from tests.worlds.chains import build_chain_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_now(execute=True):
    """Transactional tests commit at once, so after-commit work runs without capturing."""
    return contextlib.nullcontext([])


def test_open_chain_click_node_then_leader_confirms_supplier(
    page: Page, live_server, browser, browser_context_args
):
    w = build_chain_world(run_now)
    cs.placements_set(
        enterprise=w.supplier, nodes=[w.node("ic/design/processors")], actor=w.users["supplier"]
    )
    cs.placements_set(
        enterprise=w.bystander, nodes=[w.node("ic/manufacturing")], actor=w.users["bystander"]
    )
    link = cs.link_request(leader=w.leader, supplier=w.supplier, actor=w.users["supplier"])

    # 1. The zone official opens the chain and clicks a node in the chart.
    sign_in_as(page.context, live_server, w.users["official"])
    page.goto(live_server.url + "/")
    page.get_by_test_id("nav-chains").click()
    page.get_by_test_id("open-chain-ic").click()
    expect(page.get_by_test_id("chain-name")).to_have_text("集成电路")
    chart = page.get_by_test_id("chain-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    expect(
        page.locator('[data-testid="node-row"][data-path="ic/design/processors"]')
    ).to_have_attribute("data-gap", "yes")
    chart.locator("svg text", has_text="处理器与SoC").first.click()
    expect(page).to_have_url(re.compile(r"/chains/ic/nodes/\d+/$"))
    expect(page.get_by_test_id("node-name")).to_contain_text("处理器与SoC")
    rows = page.get_by_test_id("node-enterprise")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(w.supplier.name)
    # Back on the chain, the parent node lists the enterprises under it as well.
    page.get_by_test_id("back-to-chain").click()
    chart = page.get_by_test_id("chain-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    chart.locator("svg text", has_text="晶圆制造").first.click()
    expect(page.get_by_test_id("node-enterprise")).to_contain_text(w.bystander.name)

    # 2. The leader confirms the supplier's request on its links page.
    leader = browser.new_context(**browser_context_args)
    leader_page = leader.new_page()
    sign_in_as(leader, live_server, w.users["leader"])
    accept_dialogs(leader_page)
    leader_page.goto(f"{live_server.url}/enterprises/{w.leader_enterprise.pk}/")
    leader_page.get_by_test_id("tab-links").click()
    row = leader_page.locator(f'[data-testid="link"][data-pk="{link.pk}"]')
    expect(row).to_have_attribute("data-status", "requested")
    row.get_by_test_id(f"move-confirmed-{link.pk}").click()
    expect(leader_page.locator(f'[data-testid="link"][data-pk="{link.pk}"]')).to_have_attribute(
        "data-status", "confirmed"
    )
    leader.close()
    link.refresh_from_db()
    assert link.status == SupplierLink.Status.CONFIRMED

    # 3. The supplier finds the supply-chain product among its matches.
    supplier = browser.new_context(**browser_context_args)
    supplier_page = supplier.new_page()
    sign_in_as(supplier, live_server, w.users["supplier"])
    supplier_page.goto(f"{live_server.url}/enterprises/{w.supplier.pk}/")
    supplier_page.get_by_test_id("tab-matches").click()
    card = supplier_page.locator('[data-testid="match"][data-product="supply"]')
    expect(card).to_be_visible()
    expect(card.locator('[data-key="supplier"]')).to_have_attribute("data-passed", "yes")
    supplier.close()
