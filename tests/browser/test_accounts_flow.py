"""Account flows in a real browser: sign-up, email verification, language switch, sign-out,
and the gates that keep unverified users and staff without a second factor out."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, UserFactory, ZoneOfficialFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")
NEW_PASSWORD = "Lantern-Orchid-73-quarry"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def url_of(live_server, path: str) -> re.Pattern:
    """The live server URL of ``path``, optionally followed by a query string."""
    return re.compile(re.escape(live_server.url + path) + r"(\?.*)?$")


def sign_in(page: Page, live_server, *, email: str, password: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_have_text("登录")
    form = page.locator("main form")
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(password)
    form.get_by_role("button", name="登录").click()


def test_signup_verify_login_switch_language_logout(page: Page, live_server, mailoutbox):
    email = "newcomer@example.com"

    # Sign up: the UI starts in Chinese.
    page.goto(live_server.url + "/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_have_text("注册")
    form = page.locator("main form")
    form.locator('input[name="email"]').fill(email)
    form.locator('input[name="password1"]').fill(NEW_PASSWORD)
    form.locator('input[name="password2"]').fill(NEW_PASSWORD)
    form.get_by_role("button", name="注册").click()

    # Mandatory verification: no session yet, a "verification sent" page instead.
    expect(page).to_have_url(url_of(live_server, "/accounts/confirm-email/"))
    expect(page.locator("main h1")).to_have_text("验证您的Email地址")
    expect(page.get_by_test_id("logout")).to_have_count(0)

    # The confirmation email carries a link back to this server.
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [email]
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    confirm_url = match.group(0)
    assert confirm_url.startswith(live_server.url + "/"), confirm_url

    # Opening the link does not confirm by itself (GET); the button POSTs.
    page.goto(confirm_url)
    expect(page.locator("main h1")).to_have_text("确认Email地址")
    assert not EmailAddress.objects.get(email=email).verified
    page.locator("main form").get_by_role("button", name="确认").click()
    expect(page).to_have_url(url_of(live_server, "/accounts/login/"))
    expect(page.get_by_role("alert").filter(has_text=email)).to_be_visible()
    assert EmailAddress.objects.get(email=email).verified

    # Sign in and land on the home page, still in Chinese.
    sign_in(page, live_server, email=email, password=NEW_PASSWORD)
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_contain_text(email)
    expect(page.locator("main h1")).to_have_text(CHINESE)
    expect(page.get_by_test_id("panel-newcomer")).to_be_visible()
    expect(page.get_by_test_id("logout")).to_have_text(CHINESE)

    # Switch to English: same page, English now.
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_test_id("logout")).to_have_text("Sign out")
    expect(page.locator("main h1")).to_have_text(f"Welcome, {email}")
    expect(page.get_by_test_id("panel-newcomer")).to_be_visible()

    # Sign out from the nav (a direct POST): back to the public landing page.
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_test_id("logout")).to_have_count(0)
    expect(page.get_by_test_id("panel-newcomer")).to_have_count(0)
    expect(page.locator("nav").get_by_role("link", name="Sign in")).to_be_visible()

    # The session is really gone, and the language choice outlived it.
    page.goto(live_server.url + "/enterprises/")
    expect(page).to_have_url(url_of(live_server, "/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Sign In")


def test_unverified_user_cannot_reach_enterprise_pages(page: Page, live_server, mailoutbox):
    user = UserFactory(verified=False)

    sign_in(page, live_server, email=user.email, password=PASSWORD)

    # allauth stops at the verification stage and sends a fresh link.
    expect(page).to_have_url(url_of(live_server, "/accounts/confirm-email/"))
    expect(page.locator("main h1")).to_have_text("验证您的Email地址")
    expect(page.get_by_test_id("logout")).to_have_count(0)
    assert [m.to for m in mailoutbox] == [[user.email]]

    page.goto(live_server.url + "/enterprises/")
    expect(page.get_by_test_id("my-enterprises")).to_have_count(0)
    expect(page.get_by_test_id("logout")).to_have_count(0)
    expect(page).to_have_url(url_of(live_server, "/accounts/login/"))


def test_staff_without_second_factor_is_sent_to_enrol(page: Page, live_server):
    official = ZoneOfficialFactory(second_factor=False)
    activate = url_of(live_server, "/accounts/2fa/totp/activate/")

    # Signing in sends the official straight to TOTP enrolment: enrolling the first factor
    # right after sign-in asks for no second password (AccountAdapter).
    sign_in(page, live_server, email=official.email, password=PASSWORD)
    expect(page).to_have_url(activate)
    expect(page.get_by_test_id("logout")).to_be_visible()

    for path in ("/", "/enterprises/"):
        page.goto(live_server.url + path)
        expect(page).to_have_url(activate)
        expect(page.locator("main h1")).to_have_text("激活身份验证器应用")
        expect(page.locator("main form").locator('input[name="code"]')).to_be_visible()
        expect(page.get_by_test_id("my-enterprises")).to_have_count(0)
        expect(page.get_by_test_id("panel-zone_official")).to_have_count(0)
