"""Issue #18's journeys in a real browser: a firm finds and accepts an offer from its
notification (through the page of terms and a confirmation); a relationship manager's
refused offer comes back with every error beside its field and the input kept; a firm
corrects and resubmits a rejected claim; a zone move puts the open review in the new
zone's queue."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ecosystem.core.models import Notification
from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.financing import services as pipeline
from ecosystem.financing.models import Lead, Offer
from tests.factories import ZoneFactory, ZoneOfficialFactory
from tests.worlds.browser import accept_dialogs, sign_in_as
from tests.worlds.leads import World
from tests.worlds.zone import submit_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = Lead.Status


def test_a_firm_finds_and_accepts_an_offer_from_its_notification(page, live_server):
    world = World(status=S.CONTACTED)
    offer = pipeline.offer_make(
        lead=world.lead,
        actor=world.rm,
        amount=Decimal("800000"),
        rate=Decimal("4.15"),
        term_months=12,
        valid_until=timezone.now() + timedelta(days=7),
        conditions="按季付息",
    )
    notification = Notification.objects.get(recipient=world.member, kind="lead_status")
    sign_in_as(page.context, live_server, world.member)
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_test_id(f"open-notification-{notification.pk}").click()
    # The offer's own page: its terms, then the confirmation.
    expect(page.get_by_test_id("term-amount")).to_contain_text("80.00万元")
    expect(page.get_by_test_id("term-rate")).to_have_text("4.15%")
    expect(page.get_by_test_id("term-conditions")).to_contain_text("按季付息")
    page.get_by_test_id("confirm-accept").click()
    expect(page.get_by_test_id("lead-status").first).to_have_attribute("data-status", "accepted")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED


def test_a_refused_offer_shows_every_error_and_keeps_the_input(page, live_server):
    world = World(status=S.CONTACTED)
    sign_in_as(page.context, live_server, world.rm)
    page.goto(f"{live_server.url}/financing/leads/{world.lead.pk}/")
    form = page.get_by_test_id("offer-form")
    form.locator("#id_amount").fill("9000000")
    form.locator("#id_rate").fill("9.75")
    form.locator("#id_term_months").fill("48")
    form.locator("#id_conditions").fill("须提供房产抵押")
    valid = timezone.localtime(timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    form.locator("#id_valid_until").fill(valid)
    form.get_by_test_id("offer-submit").click()
    form = page.get_by_test_id("offer-form")
    for field in ("amount", "rate", "term_months"):
        expect(form.get_by_test_id(f"error-{field}")).to_be_visible()
    expect(form.locator("#id_amount")).to_have_value("9000000")
    expect(form.locator("#id_rate")).to_have_value("9.75")
    expect(form.locator("#id_term_months")).to_have_value("48")
    expect(form.locator("#id_conditions")).to_have_value("须提供房产抵押")
    assert not Offer.objects.exists()


def test_a_firm_resubmits_a_rejected_claim(page, live_server):
    claim, member = submit_claim(ZoneFactory())
    official = ZoneOfficialFactory(zone=claim.enterprise.zone)
    es.claim_transition(
        claim=claim,
        to=ClaimStatus.REJECTED,
        actor=official,
        reason_code="other",
        reason_text="证书号与扫描件不符",
    )
    sign_in_as(page.context, live_server, member)
    accept_dialogs(page)
    page.goto(f"{live_server.url}/enterprises/{claim.enterprise_id}/claims/{claim.pk}/")
    expect(page.get_by_test_id("claim-status")).to_have_attribute("data-status", "rejected")
    edit = page.get_by_test_id("claim-edit-form")
    edit.locator("#id_certificate_number").fill("GR202511000124")
    edit.locator("button[type=submit]").click()
    page.get_by_test_id("submit-claim").click()
    expect(page.get_by_test_id("claim-status")).to_have_attribute("data-status", "resubmitted")
    claim.refresh_from_db()
    assert (claim.status, claim.certificate_number) == (ClaimStatus.RESUBMITTED, "GR202511000124")


def test_a_zone_move_puts_the_open_review_in_the_new_zones_queue(
    page, live_server, browser, browser_context_args
):
    claim, member = submit_claim(ZoneFactory())
    new_zone = ZoneFactory()
    newcomer = ZoneOfficialFactory(zone=new_zone)
    sign_in_as(page.context, live_server, member)
    page.goto(f"{live_server.url}/enterprises/{claim.enterprise_id}/edit/")
    page.locator("#id_zone").select_option(str(new_zone.pk))
    page.get_by_test_id("save").click()
    expect(page).not_to_have_url(re.compile(r"/edit/$"))
    claim = QualificationClaim.objects.select_related("enterprise").get(pk=claim.pk)
    assert claim.enterprise.zone_id == new_zone.pk

    official = browser.new_context(**browser_context_args)
    official_page = official.new_page()
    sign_in_as(official, live_server, newcomer)
    official_page.goto(f"{live_server.url}/zones/queue/")
    row = official_page.locator(
        f'[data-testid="queue-row"][data-kind="claim"][data-pk="{claim.pk}"]'
    )
    expect(row).to_be_visible()
    assert Notification.objects.filter(recipient=newcomer, kind="zone_move").exists()
