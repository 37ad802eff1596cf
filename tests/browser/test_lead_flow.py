"""A lead from application to disbursement, in a real browser: the enterprise applies →
a relationship manager claims it from the inbox, marks it contacted and makes an offer →
the enterprise accepts → the relationship manager records the disbursement → the bank
dashboard and the zone dashboard show the money."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ecosystem.financing.models import Disbursement, Lead, Offer
from tests.worlds.browser import accept_dialogs, sign_in_as
from tests.worlds.financing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_claim_offer_accept_disburse_then_dashboards(
    page, live_server, browser, browser_context_args
):
    w = build_world()
    member, rm = w.users["member"], w.users["rm"]

    # 1. The enterprise applies for its match.
    sign_in_as(page.context, live_server, member)
    accept_dialogs(page)
    page.goto(f"{live_server.url}/financing/enterprises/{w.matched.pk}/matches/")
    page.get_by_test_id("apply-talent").click()
    expect(
        page.locator('[data-testid="match"][data-product="talent"]').get_by_test_id("lead-status")
    ).to_be_visible()
    lead = Lead.objects.get(enterprise=w.matched)

    # 2. The relationship manager claims it from the unassigned inbox, contacts, offers.
    bank = browser.new_context(**browser_context_args)
    rm_page = bank.new_page()
    sign_in_as(bank, live_server, rm)
    accept_dialogs(rm_page)
    rm_page.goto(f"{live_server.url}/financing/leads/?tab=unassigned")
    rm_page.get_by_test_id(f"claim-{lead.pk}").click()
    rm_page.goto(f"{live_server.url}/financing/leads/{lead.pk}/")
    expect(rm_page.get_by_test_id("lead-status")).to_contain_text(str(Lead.Status.ASSIGNED.label))
    rm_page.get_by_test_id("move-contacted").click()
    expect(rm_page.get_by_test_id("offer-form")).to_be_visible()
    form = rm_page.get_by_test_id("offer-form")
    form.locator("#id_amount").fill("1200000")
    form.locator("#id_rate").fill("3.85")
    form.locator("#id_term_months").fill("12")
    valid = timezone.localtime(timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    form.locator("#id_valid_until").fill(valid)
    form.get_by_test_id("offer-submit").click()
    expect(rm_page.locator('[data-testid="offer"]').first).to_contain_text("120.00万元")
    offer = Offer.objects.get(lead=lead)
    assert (offer.status, offer.amount) == (Offer.Status.MADE, 1200000)

    # 3. The enterprise sees the offer on its requests page and accepts it.
    page.goto(f"{live_server.url}/financing/enterprises/{w.matched.pk}/leads/")
    expect(page.get_by_test_id("offer").first).to_contain_text("120.00万元")
    page.get_by_test_id(f"accept-offer-{offer.pk}").click()
    expect(page.get_by_test_id("term-amount")).to_contain_text("1,200,000.00")
    page.get_by_test_id("confirm-accept").click()
    expect(page.get_by_test_id(f"accept-offer-{offer.pk}")).to_have_count(0)
    expect(page.get_by_test_id("lead-status").first).to_have_attribute("data-status", "accepted")

    # 4. The relationship manager records the disbursement.
    rm_page.goto(f"{live_server.url}/financing/leads/{lead.pk}/")
    disburse = rm_page.get_by_test_id("disburse-form")
    disburse.locator("#id_amount").fill("1000000")
    disburse.locator("#id_disbursed_on").fill(timezone.localdate().isoformat())
    disburse.get_by_test_id("disburse-submit").click()
    expect(rm_page.get_by_test_id("disbursement")).to_contain_text("100.00万元")
    lead.refresh_from_db()
    assert lead.status == Lead.Status.DISBURSED
    assert Disbursement.objects.get(lead=lead).amount == 1000000

    # 5. The bank dashboard shows the lead all the way down the funnel and the money.
    rm_page.get_by_test_id("tab-dashboard").click()
    expect(rm_page).to_have_url(re.compile(r"/financing/bank/dashboard/$"))
    expect(rm_page.get_by_test_id("figure-leads")).to_have_text("1")
    expect(rm_page.get_by_test_id("figure-disbursed")).to_have_text(
        re.compile(r"^\s*100\.00万元\s*$")
    )
    expect(rm_page.get_by_test_id("cell-funnel-5-1")).to_have_text("1")  # disbursed stage
    expect(rm_page.locator('.bank-chart[data-chart="funnel"]')).to_have_attribute(
        "data-rendered", "true"
    )
    bank.close()

    # 6. The zone official sees the enterprise financed on the zone dashboard.
    zone = browser.new_context(**browser_context_args)
    zone_page = zone.new_page()
    sign_in_as(zone, live_server, w.users["zone_official"])
    zone_page.goto(f"{live_server.url}/zones/dashboard/")
    funnel = zone_page.get_by_test_id("table-funnel")
    expect(funnel.get_by_test_id("cell-funnel-5-1")).to_have_text("1")  # disbursed
    expect(zone_page.get_by_test_id("table-financing")).to_contain_text("100.00万元")
    zone.close()
