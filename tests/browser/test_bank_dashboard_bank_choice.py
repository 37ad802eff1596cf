"""The bank dashboard of someone who sees several banks, in a real browser: choosing a bank
applies the filter at once, and the branch list then holds that bank's branches (before:
none, with a hint); a branch of the bank left is dropped, not refused."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import BankFactory, BranchFactory, PlatformAdminFactory
from tests.worlds.browser import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_a_bank_lists_its_branches(page, live_server):
    first, second = BankFactory(name_zh="甲银行"), BankFactory(name_zh="乙银行")
    ours = [BranchFactory(bank=second, name_zh=f"乙银行{n}支行") for n in (1, 2)]
    theirs = BranchFactory(bank=first, name_zh="甲银行支行")
    admin = PlatformAdminFactory()
    sign_in_as(page.context, live_server, admin)

    page.goto(f"{live_server.url}/financing/bank/dashboard/")
    branch = page.locator('select[name="branch"]')
    expect(branch.locator("option")).to_have_count(1)  # the empty choice only
    expect(page.get_by_text("选择银行后列出其支行。")).to_be_visible()

    page.locator('select[name="bank"]').select_option(str(second.pk))
    expect(page).to_have_url(re.compile(rf"[?&]bank={second.pk}(&|$)"))
    listed = page.locator('select[name="branch"] option')
    expect(listed).to_have_count(3)
    expect(page.locator('select[name="branch"]')).to_contain_text(ours[0].name_zh)
    expect(page.locator('select[name="branch"]')).not_to_contain_text(theirs.name_zh)

    # a branch of this bank chosen, then another bank: the branch is dropped, no error
    page.locator('select[name="branch"]').select_option(str(ours[1].pk))
    page.locator('select[name="bank"]').select_option(str(first.pk))
    expect(page).to_have_url(re.compile(rf"[?&]bank={first.pk}(&|$)"))
    expect(page.locator('[data-testid="filter-errors"]')).to_have_count(0)
    expect(page.locator('select[name="branch"]')).to_contain_text(theirs.name_zh)
    assert "branch=" + str(ours[1].pk) not in page.url
