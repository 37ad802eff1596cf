"""Chromium enforces our Content-Security-Policy: pages with htmx, Bootstrap, ECharts and the
offline API docs load without a single violation, and the charts still draw."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import EnterpriseFactory, EnterpriseMemberFactory, ZoneOfficialFactory
from tests.worlds.browser import sign_in_as, watch_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_load_without_a_policy_violation(page: Page, live_server):
    enterprise = EnterpriseFactory()
    member = EnterpriseMemberFactory(enterprise=enterprise)
    official = ZoneOfficialFactory(zone=enterprise.zone)
    violations = watch_violations(page)

    for path in ["/", "/accounts/login/", "/api/docs/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    expect(page.locator(".swagger-ui")).to_be_visible()

    sign_in_as(page.context, live_server, member)
    page.goto(live_server.url + f"/enterprises/{enterprise.pk}/")
    page.wait_for_load_state("networkidle")

    page.context.clear_cookies()
    sign_in_as(page.context, live_server, official)
    page.goto(live_server.url + "/zones/dashboard/")
    page.wait_for_load_state("networkidle")
    expect(page.locator("canvas").first).to_be_visible()

    assert violations == []


def test_an_injected_inline_script_is_refused(page: Page, live_server):
    """The policy is really enforced: inline code added to a page does not run."""
    violations = watch_violations(page)
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("() => window.__ran === true") is False
    assert violations
