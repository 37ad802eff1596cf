"""The pool's pages: a scheme's live headroom for a cooperating bank (and on the lead page
of a product lending under it), filing from the loan page, the fund manager's decision,
the claim with four eyes, and the firm's subsidy application — in both languages."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ecosystem.funds.models import CompensationClaim, Filing, SchemeProduct, SubsidyApplication
from tests.factories import UserFactory
from tests.worlds.fund_pool import PoolWorld

pytestmark = pytest.mark.django_db


def _client(user, language="en"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def test_the_scheme_page_shows_the_live_headroom_and_a_bank_manager_joins():
    world = PoolWorld()
    world.file()
    page = _client(world.rm).get(reverse("funds:scheme_detail", args=[world.pool.pk]))
    assert page.status_code == 200
    assert "4,000,000.00" in page.content.decode()  # 5 × ¥1,000,000 − ¥1,000,000 filed
    zh = _client(world.rm, "zh-hans").get(reverse("funds:scheme_list")).content.decode()
    assert "4,000,000.00" in zh and world.pool.name in zh and "剩余备案额度" in zh
    other = world.other.manager
    response = _client(other).post(reverse("funds:scheme_join", args=[world.pool.pk]))
    assert response.status_code == 302
    assert world.pool.banks.filter(bank=world.other.bank, accepted_by=other).exists()


def test_the_lead_page_shows_the_pool_and_its_headroom_before_the_bank_offers():
    world = PoolWorld()
    SchemeProduct.objects.create(product=world.version.product, scheme=world.pool)
    url = reverse("financing_lead_detail", args=[world.lead.pk])
    with translation.override("en"):
        page = _client(world.rm).get(url).content.decode()
    assert 'data-testid="lead-pool-headroom"' in page and "5,000,000.00" in page
    assert "50 % of losses" in page
    member_page = _client(world.member).get(url).content.decode()
    assert "lead-pool-headroom" not in member_page


def test_filing_from_the_loan_page_and_the_fund_managers_confirmation():
    world = PoolWorld()
    loan_url = reverse("funds:loan_detail", args=[world.loan.pk])
    page = _client(world.rm).get(loan_url).content.decode()
    assert 'data-testid="filing-form"' in page
    response = _client(world.rm).post(
        reverse("funds:filing_create", args=[world.loan.pk]), {"scheme": world.pool.pk}
    )
    filing = Filing.objects.get()
    assert response.url == filing.get_absolute_url()
    detail = _client(world.fm).get(filing.get_absolute_url()).content.decode()
    assert 'data-testid="move-confirmed"' in detail and "official list" in detail
    assert (
        'data-testid="move-confirmed"'
        not in _client(world.rm).get(filing.get_absolute_url()).content.decode()
    )
    _client(world.rm).post(reverse("funds:filing_move", args=[filing.pk]), {"to": "confirmed"})
    assert Filing.objects.get().status == "filed"  # the bank cannot confirm its own filing
    _client(world.fm).post(reverse("funds:filing_move", args=[filing.pk]), {"to": "confirmed"})
    assert Filing.objects.get().status == "confirmed"


def test_a_refused_filing_on_the_page_says_why_and_changes_nothing():
    world = PoolWorld(pool_terms={"leverage_cap": Decimal("0.5")})  # room ¥500,000
    response = _client(world.rm).post(
        reverse("funds:filing_create", args=[world.loan.pk]), {"scheme": world.pool.pk}, follow=True
    )
    assert "does not cover this loan" in response.content.decode()
    assert Filing.objects.count() == 0


def test_claim_review_and_second_person_approval_through_the_pages():
    world = PoolWorld()
    filing = world.confirmed()
    world.default()
    _client(world.rm).post(
        reverse("funds:claim_create", args=[filing.pk]), {"recovery_actions": "催收"}
    )
    claim = CompensationClaim.objects.get()
    move = reverse("funds:claim_move", args=[claim.pk])
    _client(world.fm).post(move, {"to": "reviewed"})
    page = _client(world.fm).get(claim.get_absolute_url()).content.decode()
    assert 'data-testid="move-approved"' not in page  # the reviewer is not offered approval
    response = _client(world.fm).post(move, {"to": "approved"}, follow=True)
    assert "second person" in response.content.decode()
    assert CompensationClaim.objects.get().status == "reviewed"
    _client(world.fm2).post(move, {"to": "approved"})
    claim.refresh_from_db()
    assert (claim.status, claim.amount) == ("approved", Decimal("400000.00"))
    zh = _client(world.fm2, "zh-hans").get(claim.get_absolute_url()).content.decode()
    assert "400,000.00" in zh and 'value="approved"' not in zh


def test_the_firm_applies_for_a_subsidy_from_its_loan_page():
    world = PoolWorld()
    page = _client(world.member).get(reverse("funds:loan_detail", args=[world.loan.pk]))
    assert 'data-testid="subsidy-form"' in page.content.decode()
    _client(world.member).post(
        reverse("funds:subsidy_create", args=[world.loan.pk]),
        {
            "scheme": world.subsidy.pk,
            "period_start": world.loan.disbursed_on.isoformat(),
            "period_end": world.today.isoformat(),
        },
    )
    application = SubsidyApplication.objects.get()
    move = reverse("funds:subsidy_move", args=[application.pk])
    _client(world.rm).post(move, {"to": "confirmed", "interest_paid": "1000"})
    _client(world.subsidy_fm).post(move, {"to": "approved"})
    application.refresh_from_db()
    assert (application.status, application.amount) == ("approved", Decimal("300.00"))


def _nav(user):
    page = _client(user).get(reverse("home"), follow=True).content.decode()
    tabs = _client(user).get(reverse("funds:loan_list"))
    shown = {
        t
        for t in ("loans", "schemes", "work", "dashboard")
        if f'data-testid="tab-{t}"' in tabs.content.decode()
    }
    return 'data-testid="nav-funds"' in page, shown


def test_the_navigation_links_the_funds_and_their_tabs_only_to_whom_may_open_them():
    world = PoolWorld()
    assert _nav(world.member) == (True, {"loans", "work"})
    assert _nav(world.rm) == (True, {"loans", "schemes", "work"})
    assert _nav(world.fm) == (True, {"loans", "schemes", "work", "dashboard"})
    stranger = UserFactory()
    page = _client(stranger).get(reverse("home"), follow=True).content.decode()
    assert 'data-testid="nav-funds"' not in page
    assert _client(stranger).get(reverse("funds:loan_list")).status_code == 404
