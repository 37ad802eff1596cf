"""Match and reach out, in a real browser: an enterprise sees its match with the
explanation and applies; a bank manager previews a campaign (masked) and sends it;
another enterprise accepts its invitation."""

import re

import pytest
from playwright.sync_api import Page, expect

from ecosystem.enterprises.models import Consent
from ecosystem.financing.models import CampaignInvitation, Lead
from tests.worlds.browser import accept_dialogs, sign_in_as
from tests.worlds.financing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_then_campaign_then_accept(page: Page, live_server, browser, browser_context_args):
    w = build_world()

    # 1. The enterprise finds its match under the Matches tab, with the explanation.
    sign_in_as(page.context, live_server, w.users["member"])
    asked = accept_dialogs(page)
    page.goto(f"{live_server.url}/enterprises/{w.matched.pk}/")
    page.get_by_test_id("tab-matches").click()
    expect(page).to_have_url(f"{live_server.url}/financing/enterprises/{w.matched.pk}/matches/")
    card = page.locator('[data-testid="match"][data-product="talent"]')
    expect(card.get_by_test_id("limit")).to_have_text("296.00万元")
    expect(card.locator('[data-key="rd_intensity"]')).to_contain_text("10.00%")
    expect(card.locator('[data-key="rd_intensity"]')).to_have_attribute("data-passed", "yes")
    expect(card.get_by_test_id(f"calculation-{w.product.pk}")).to_contain_text("2,960,000")

    # It applies: a confirmation names the bank, then the request shows on the card.
    card.get_by_test_id("apply-talent").click()
    expect(card.get_by_test_id("lead-status")).to_be_visible()
    assert len(asked) == 1 and w.bank.name in asked[0]
    lead = Lead.objects.get()
    assert (lead.enterprise, lead.source, lead.branch) == (w.matched, "apply", w.branch)
    assert Consent.objects.filter(enterprise=w.matched, bank=w.bank).exists()

    # 2. The manager runs a campaign from the bank pages: preview masked, then send.
    manager = browser.new_context(**browser_context_args)
    manager_page = manager.new_page()
    sign_in_as(manager, live_server, w.users["manager"])
    accept_dialogs(manager_page)
    manager_page.goto(live_server.url + "/")
    manager_page.get_by_test_id("nav-bank-products").click()
    expect(manager_page.locator('[data-testid="product"][data-code="talent"]')).to_be_visible()
    manager_page.get_by_test_id("tab-campaigns").click()
    manager_page.locator("#id_product").select_option(str(w.product.pk))
    manager_page.get_by_test_id("preview").click()
    expect(manager_page).to_have_url(re.compile(r"/financing/bank/campaigns/\d+/$"))
    # The enterprise that applied is already a lead: only the other one is invited.
    expect(manager_page.get_by_test_id("preview-count")).to_have_text("1")
    expect(manager_page.get_by_test_id("preview-exposure")).to_have_text("650.00万元")
    rows = manager_page.locator('[data-testid="bank-match"]')
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-masked", "yes")
    content = manager_page.content()
    for secret in (w.matched_elsewhere.name, w.matched_elsewhere.uscc, "cfo2@example.com"):
        assert secret not in content
    manager_page.get_by_test_id("send").click()
    expect(manager_page.get_by_test_id("invited-count")).to_have_text("1")
    invitation = CampaignInvitation.objects.get()
    assert invitation.enterprise == w.matched_elsewhere
    manager.close()

    # 3. The other enterprise finds the invitation from its notification and accepts.
    other = browser.new_context(**browser_context_args)
    other_page = other.new_page()
    sign_in_as(other, live_server, w.users["member_elsewhere"])
    accept_dialogs(other_page)
    other_page.goto(live_server.url + "/notifications/")
    notice = other_page.locator("li.list-group-item").filter(has_text="650.00万元")
    notice.get_by_role("button").click()
    expect(other_page).to_have_url(
        re.compile(rf"/financing/enterprises/{w.matched_elsewhere.pk}/invitations/$")
    )
    row = other_page.locator(f'[data-testid="invitation"][data-pk="{invitation.pk}"]')
    expect(row).to_contain_text("650.00万元")
    row.get_by_test_id(f"accept-{invitation.pk}").click()
    expect(other_page.get_by_test_id(f"accept-{invitation.pk}")).to_have_count(0)
    expect(row.get_by_test_id("invitation-status")).to_have_attribute("data-status", "accepted")
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    lead = Lead.objects.get(enterprise=w.matched_elsewhere)
    assert (lead.source, lead.invitation, lead.branch) == ("campaign", invitation, w.head_office)
    assert Consent.objects.filter(enterprise=w.matched_elsewhere, bank=w.bank).exists()
    other.close()
