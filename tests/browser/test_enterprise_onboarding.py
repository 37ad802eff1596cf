"""A founder's first sitting, in a real browser: sign up, verify the email, sign in,
register the enterprise with the wizard, enter a year of figures, claim a qualification
with an evidence upload and submit it; then the same pages in English."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ecosystem.core.uscc import uscc_check_character
from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import ProgramFactory, ZoneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")
PASSWORD = "Lantern-Orchid-73-quarry"
FIRST17 = "91110108MA01WX3K7"
USCC = FIRST17 + uscc_check_character(FIRST17)
LAST_YEAR = timezone.localdate().year - 1
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def sign_up_and_sign_in(page: Page, live_server, mailoutbox, email: str) -> None:
    page.goto(live_server.url + "/accounts/signup/")
    form = page.locator("main form")
    form.locator('input[name="email"]').fill(email)
    form.locator('input[name="password1"]').fill(PASSWORD)
    form.locator('input[name="password2"]').fill(PASSWORD)
    form.get_by_role("button", name="注册").click()
    expect(page.locator("main h1")).to_have_text("验证您的Email地址")
    link = CONFIRM_LINK.search(mailoutbox[-1].body).group(0)
    page.goto(link)
    page.locator("main form").get_by_role("button", name="确认").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/accounts/login/")))
    form = page.locator("main form")
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_server.url + "/")


def wizard_at(page: Page, step: str):
    wizard = page.get_by_test_id("wizard")
    expect(wizard).to_have_attribute("data-step", step)
    return wizard


def test_founder_registers_enters_figures_claims_with_evidence_and_reads_it_in_english(
    page: Page, live_server, mailoutbox, tmp_path
):
    zone = ZoneFactory(code="zgc", name_zh="中关村科技园区", name_en="Zhongguancun Science Park")
    program = ProgramFactory(
        code="hte", name_zh="高新技术企业", name_en="High-tech enterprise certificate"
    )
    sign_up_and_sign_in(page, live_server, mailoutbox, "founder@example.com")

    # The wizard, step by step (htmx swaps each step in place).
    page.goto(live_server.url + "/enterprises/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_test_id("register-enterprise").click()
    wizard = wizard_at(page, "code")
    wizard.locator('input[name="uscc"]').fill(USCC[:10])
    expect(page.get_by_test_id("uscc-feedback").locator("[data-state]")).to_have_attribute(
        "data-state", "typing"
    )
    wizard.locator('input[name="uscc"]').fill(USCC.lower())
    expect(page.get_by_test_id("uscc-feedback").locator("[data-state]")).to_have_attribute(
        "data-state", "valid"
    )
    page.get_by_test_id("wizard-next").click()

    wizard = wizard_at(page, "company")
    expect(page).to_have_url(live_server.url + "/enterprises/register/company/")
    wizard.locator('input[name="name"]').fill("北京智源芯科技有限公司")
    wizard.locator('input[name="name_en"]').fill("Beijing Zhiyuanxin Technology Co., Ltd.")
    wizard.locator('select[name="zone"]').select_option(str(zone.pk))
    wizard.locator('input[name="founded_on"]').fill("2019-03-15")
    wizard.locator('input[name="registered_address"]').fill("北京市海淀区中关村大街1号")
    page.get_by_test_id("wizard-next").click()

    wizard = wizard_at(page, "contact")
    wizard.locator('input[name="contact_name"]').fill("王芳")
    wizard.locator('input[name="contact_phone"]').fill("010-62345678")
    wizard.locator('input[name="contact_email"]').fill("wang@zhiyuanxin.example")
    page.get_by_test_id("wizard-next").click()

    wizard_at(page, "review")
    expect(page.get_by_test_id("wizard-review")).to_contain_text("北京智源芯科技有限公司")
    expect(page.get_by_test_id("wizard-review")).to_contain_text("中关村科技园区")
    page.get_by_test_id("wizard-confirm").click()

    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/enterprises/\d+/$"))
    enterprise = Enterprise.objects.get(uscc=USCC)
    assert page.url == live_server.url + enterprise.get_absolute_url()
    expect(page.get_by_test_id("enterprise-name")).to_have_text("北京智源芯科技有限公司")
    expect(page.get_by_test_id("enterprise-uscc")).to_have_text(USCC)

    # A year of figures, typed with thousands separators.
    page.get_by_test_id("tab-figures").click()
    page.get_by_test_id("add-year").click()
    form = page.get_by_test_id("year-form")
    expect(form.locator('input[name="year"]')).to_have_value(str(LAST_YEAR))
    for name, value in {
        "revenue": "18,500,000",
        "total_costs": "15,000,000",
        "total_assets": "22,000,000",
        "rd_expense": "2,400,000",
        "net_profit": "3,500,000",
        "employees": "60",
        "rd_staff": "21",
        "ip_invention_patents": "3",
        "ip_software_copyrights": "7",
    }.items():
        form.locator(f'input[name="{name}"]').fill(value)
    page.get_by_test_id("save").click()
    row = page.get_by_test_id(f"year-{LAST_YEAR}")
    expect(row).to_contain_text("1,850.00万元")
    expect(page.get_by_test_id(f"verification-{LAST_YEAR}")).to_be_visible()

    # A claim with a real PDF as evidence, then submitted.
    evidence = tmp_path / "高新证书.pdf"
    evidence.write_bytes(PDF)
    page.get_by_test_id("tab-claims").click()
    page.get_by_test_id("new-claim").click()
    form = page.get_by_test_id("claim-form")
    form.locator('select[name="program"]').select_option(str(program.pk))
    form.locator('input[name="certificate_number"]').fill("GR202311001234")
    form.locator('input[name="year"]').fill(str(LAST_YEAR))
    form.locator('input[name="valid_until"]').fill(f"{LAST_YEAR + 3}-12-31")
    form.locator('input[name="evidence"]').set_input_files(str(evidence))
    page.get_by_test_id("save").click()

    expect(page.get_by_test_id("claim-status")).to_have_attribute("data-status", "draft")
    expect(page.get_by_test_id("evidence")).to_contain_text("高新证书.pdf")
    expect(page.get_by_test_id("page-title")).to_have_text("高新技术企业")
    page.get_by_test_id("submit-claim").click()
    expect(page.get_by_test_id("claim-status")).to_have_attribute("data-status", "submitted")
    claim = QualificationClaim.objects.get(enterprise=enterprise)
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.evidence.get().original_name == "高新证书.pdf"
    assert claim.revisions.count() == 1

    # The same pages in English.
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(live_server.url + claim.get_absolute_url())
    expect(page.get_by_test_id("page-title")).to_have_text("High-tech enterprise certificate")
    expect(page.get_by_test_id("claim-status")).to_have_text("submitted")
    expect(page.get_by_test_id("evidence")).to_contain_text("高新证书.pdf")
    expect(page.get_by_test_id("tab-claims")).to_have_text("Qualifications")

    page.get_by_test_id("tab-figures").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Yearly figures")
    expect(page.get_by_test_id(f"year-{LAST_YEAR}")).to_contain_text("CNY 18.50 million")
    expect(page.get_by_test_id(f"verification-{LAST_YEAR}")).to_have_text("not verified")

    page.get_by_test_id("tab-profile").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Profile")
    expect(page.get_by_test_id("profile")).to_contain_text("Zhongguancun Science Park")
    expect(page.get_by_test_id("lifecycle-stage")).to_have_text(re.compile(r"^(Start-up|Growth)$"))

    page.get_by_test_id("tab-claims").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Qualifications")
    expect(page.get_by_test_id("claims")).to_contain_text("High-tech enterprise certificate")
