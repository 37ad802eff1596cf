"""A bad loan through the risk pool, in a real browser: the bank files a disbursed loan into
the zone's pool (the demo pool's shape: ¥200M fund, 10× leverage, 50 % of losses), the fund
manager confirms it; the bank reports it 95 days past due on the lead page and claims
compensation with the outstanding principal and its recovery actions; the fund manager
reviews the claim and cannot also approve it (four eyes: the refusal is shown), a second
fund manager approves it and records the payment; the fund dashboard shows the payment and
the pool's new headroom."""

from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import expect

from ecosystem.core.models import AuditEvent
from ecosystem.funds.models import CompensationClaim, Filing
from ecosystem.funds.workflow import ClaimStatus, FilingStatus
from tests.worlds.browser import sign_in_as
from tests.worlds.fund_pool import PoolWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_POOL = {  # ecosystem/funds/demo.py
    "fund_size": Decimal("200000000.00"),
    "leverage_cap": Decimal("10"),
    "compensation_share": Decimal("0.50"),
    "cumulative_cap": Decimal("100000000.00"),
    "per_firm_annual_cap": Decimal("30000000.00"),
    "max_term_months": 36,
}


def zh(text) -> str:
    """A label or message as the browser (zh-CN) shows it."""
    with translation.override("zh-hans"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _page_as(browser, browser_context_args, live_server, user):
    context = browser.new_context(**browser_context_args)
    sign_in_as(context, live_server, user)
    return context.new_page()


def test_bank_files_reports_95_days_past_due_claims_two_managers_approve_and_pay(
    page, live_server, browser, browser_context_args
):
    w = PoolWorld(pool_terms=DEMO_POOL)  # the loan: ¥1,000,000 disbursed 30 days ago
    w.pool.name = "中关村科技信贷风险补偿资金池"
    w.pool.save(update_fields=["name"])
    url = live_server.url

    # 1. The relationship manager files the loan into the pool from the loan's page.
    sign_in_as(page.context, live_server, w.rm)
    page.goto(f"{url}/funds/loans/{w.loan.pk}/")
    form = page.get_by_test_id("filing-form")
    form.locator("select[name=scheme]").select_option(str(w.pool.pk))
    form.get_by_test_id("filing-submit").click()
    expect(page.get_by_test_id("filing-status")).to_have_text(zh(FilingStatus.FILED.label))
    filing = Filing.objects.get(loan=w.loan)

    # 2. The fund manager confirms the filing.
    fm = _page_as(browser, browser_context_args, live_server, w.fm)
    fm.goto(f"{url}/funds/filings/{filing.pk}/")
    fm.get_by_test_id("move-confirmed-submit").click()
    expect(fm.get_by_test_id("filing-status")).to_have_text(zh(FilingStatus.CONFIRMED.label))

    # 3. The bank reports the loan 95 days past due on the lead page: ¥800,000 outstanding.
    page.goto(f"{url}/financing/leads/{w.lead.pk}/")
    status = page.get_by_test_id("loan-status-form")
    status.locator("#id_status-outstanding_principal").fill("800000")
    status.locator("#id_status-days_past_due").fill("95")
    status.locator("#id_status-classification").select_option("special_mention")
    status.get_by_test_id("loan-status-submit").click()
    expect(page.get_by_test_id("loan-history-row").first).to_contain_text("95")

    # 4. ... and claims compensation on the filing: 50 % × ¥800,000 requested.
    page.goto(f"{url}/funds/filings/{filing.pk}/")
    claim_form = page.get_by_test_id("claim-form")
    claim_form.locator("textarea[name=recovery_actions]").fill("已向法院起诉并申请财产保全")
    claim_form.get_by_test_id("claim-submit").click()
    expect(page.get_by_test_id("claim-status")).to_have_text(zh(ClaimStatus.SUBMITTED.label))
    expect(page.get_by_test_id("claim-summary")).to_contain_text("80.00万元")  # principal
    expect(page.get_by_test_id("claim-summary")).to_contain_text("40.00万元")  # requested
    claim = CompensationClaim.objects.get(filing=filing)

    # 5. The fund manager reviews it; the approval is not theirs to take.
    fm.goto(f"{url}/funds/claims/{claim.pk}/")
    fm.get_by_test_id("move-reviewed-submit").click()
    expect(fm.get_by_test_id("claim-status")).to_have_text(zh(ClaimStatus.REVIEWED.label))
    expect(fm.get_by_test_id("move-approved-submit")).to_have_count(0)
    # The reviewer posts the approval anyway (a hand-made form): refused, nothing changes.
    fm.evaluate(
        """([action]) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = action;
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            for (const [name, value] of [["csrfmiddlewaretoken", token], ["to", "approved"]]) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        [f"/funds/claims/{claim.pk}/move/"],
    )
    four_eyes = "The person who reviewed this cannot also decide it: a second person must."
    expect(fm.get_by_role("alert")).to_contain_text(zh(four_eyes))
    expect(fm.get_by_test_id("claim-status")).to_have_text(zh(ClaimStatus.REVIEWED.label))
    claim.refresh_from_db()
    assert (claim.status, claim.approved_by_id, claim.amount) == ("reviewed", None, None)

    # 6. A second fund manager approves it and records the payment.
    fm2 = _page_as(browser, browser_context_args, live_server, w.fm2)
    fm2.goto(f"{url}/funds/claims/{claim.pk}/")
    fm2.get_by_test_id("move-approved-submit").click()
    expect(fm2.get_by_test_id("claim-status")).to_have_text(zh(ClaimStatus.APPROVED.label))
    expect(fm2.get_by_test_id("claim-amount")).to_have_text("40.00万元")
    fm2.locator("#payref-paid").fill("PAY-2026-0001")
    fm2.get_by_test_id("move-paid-submit").click()
    expect(fm2.get_by_test_id("claim-status")).to_have_text(zh(ClaimStatus.PAID.label))

    # 7. The fund dashboard: ¥400,000 paid; headroom 10 × ¥200M − ¥800,000 filed balance.
    fm2.goto(f"{url}/funds/dashboard/?by=bank")

    def cell(table, column, row=0):
        return fm2.get_by_test_id(f"cell-{table}-{row}-{column}")

    expect(fm2.get_by_test_id("table-schemes").locator("tbody tr")).to_have_count(1)
    expect(cell("schemes", 0)).to_have_text("中关村科技信贷风险补偿资金池")
    expect(cell("schemes", 2)).to_have_text("20,000.00万元")  # fund
    expect(cell("schemes", 5)).to_have_text("199,920.00万元")  # headroom
    expect(cell("schemes", 6)).to_have_text("80.00万元")  # filed balance
    expect(cell("schemes", 9)).to_have_text("80.00万元")  # non-performing
    for column in (11, 12, 13):  # requested, approved, paid
        expect(cell("schemes", column)).to_have_text("40.00万元")
    # The same sums for the one cooperating bank.
    expect(fm2.get_by_test_id("table-bank").locator("tbody tr")).to_have_count(1)
    expect(cell("bank", 1)).to_have_text(w.bank.name)
    expect(cell("bank", 2)).to_have_text("80.00万元")  # filed balance
    for column in (7, 8, 9):  # requested, approved, paid
        expect(cell("bank", column)).to_have_text("40.00万元")
    claim.refresh_from_db()
    assert (claim.status, claim.amount, claim.payment_reference) == (
        "paid",
        Decimal("400000.00"),
        "PAY-2026-0001",
    )
    assert (claim.reviewed_by_id, claim.approved_by_id) == (w.fm.pk, w.fm2.pk)
    assert AuditEvent.objects.filter(verb="compensation_claim.paid").count() == 1
