"""A decision within one working day, in a real browser (issue #15): on a Friday
afternoon a firm applies for a product promising a decision within one working day,
choosing its financing need; the relationship manager claims the lead and offers straight
away (the product allows a direct offer); the bank dashboard shows the decision inside the
target. The portal's clock is set to that Friday and moved on by the test (the live
server runs in this process, so ``timezone.now`` is the test's clock)."""

import re
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ecosystem.financing.models import Lead, Offer, ProductVersion
from tests.factories import FinancingNeedFactory
from tests.worlds.browser import accept_dialogs, sign_in_as
from tests.worlds.financing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BJ = ZoneInfo("Asia/Shanghai")
FRIDAY_AFTERNOON = datetime(2026, 12, 4, 15, 0, tzinfo=BJ)
MONDAY_SAME_HOUR = datetime(2026, 12, 7, 15, 0, tzinfo=BJ)


@pytest.fixture
def clock():
    """The portal's now, set by the test."""
    moment = {"now": FRIDAY_AFTERNOON}
    with mock.patch("django.utils.timezone.now", lambda: moment["now"]):
        yield moment


def test_friday_application_decided_directly_shows_inside_target(
    page, live_server, browser, browser_context_args, clock
):
    w = build_world()
    ProductVersion.objects.filter(pk=w.version.pk).update(
        decision_target=1, decision_unit="days", allows_direct_offer=True
    )
    need = FinancingNeedFactory(enterprise=w.matched, amount=1500000, term_months=24)
    member, rm = w.users["member"], w.users["rm"]
    match = w.match_of(w.matched)

    # 1. Friday 15:00: the firm applies, choosing its need.
    sign_in_as(page.context, live_server, member)
    accept_dialogs(page)
    page.goto(f"{live_server.url}/financing/enterprises/{w.matched.pk}/matches/")
    page.locator(f"#id_m{match.pk}-need").select_option(str(need.pk))
    page.get_by_test_id("apply-talent").click()
    expect(
        page.locator('[data-testid="match"][data-product="talent"]').get_by_test_id("lead-status")
    ).to_be_visible()
    lead = Lead.objects.get(enterprise=w.matched)
    assert (lead.need_id, lead.need_amount) == (need.pk, need.amount)
    # One working day from Friday 15:00 is Monday 15:00: the weekend does not count.
    assert lead.decision_due_at == MONDAY_SAME_HOUR

    # 2. Friday 16:30: the relationship manager claims it and offers at once.
    clock["now"] = FRIDAY_AFTERNOON + timedelta(hours=1, minutes=30)
    bank = browser.new_context(**browser_context_args)
    rm_page = bank.new_page()
    sign_in_as(bank, live_server, rm)
    accept_dialogs(rm_page)
    rm_page.goto(f"{live_server.url}/financing/leads/?tab=unassigned")
    # the money rule: the short figure in 万元, the exact yuan on hover
    need_line = rm_page.get_by_test_id("lead-need").first
    expect(need_line).to_contain_text("150.00万元")
    expect(need_line.locator("span[title]")).to_have_attribute("title", "1,500,000.00 元")
    rm_page.get_by_test_id(f"claim-{lead.pk}").click()
    rm_page.goto(f"{live_server.url}/financing/leads/{lead.pk}/")
    expect(rm_page.get_by_test_id("need-amount")).to_contain_text("150.00万元")
    expect(rm_page.get_by_test_id("need-amount").locator("span[title]")).to_have_attribute(
        "title", "1,500,000.00 元"
    )
    form = rm_page.get_by_test_id("offer-form")
    expect(form).to_be_visible()  # straight from the claimed lead
    form.locator("#id_amount").fill("1200000")
    form.locator("#id_rate").fill("3.85")
    form.locator("#id_term_months").fill("24")
    valid = timezone.localtime(clock["now"] + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    form.locator("#id_valid_until").fill(valid)
    form.get_by_test_id("offer-submit").click()
    expect(rm_page.get_by_test_id("offer-difference").first).to_have_attribute(
        "data-difference", "-300000.00"
    )
    offer = Offer.objects.get(lead=lead)
    lead.refresh_from_db()
    assert offer.status == Offer.Status.MADE
    assert lead.decided_at == clock["now"] and lead.first_contact_at == clock["now"]

    # 3. The bank dashboard: decided in 1.5 working hours, inside the one-day target.
    rm_page.goto(f"{live_server.url}/financing/bank/dashboard/")
    table = rm_page.get_by_test_id("table-decision_products")
    expect(table.get_by_test_id("cell-decision_products-0-5")).to_have_text(re.compile(r"^1\.50?$"))
    expect(table.get_by_test_id("cell-decision_products-0-7")).to_have_text("100.0%")
    bank.close()
