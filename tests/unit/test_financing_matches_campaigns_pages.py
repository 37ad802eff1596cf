"""Financing pages: the enterprise's matches and applying, campaigns and invitations, the
product editor."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from ecosystem.core.models import AuditEvent, Notification
from ecosystem.enterprises.models import (
    Consent,
    Enterprise,
)
from ecosystem.financing import services
from ecosystem.financing.eligibility.evaluator import evaluate
from ecosystem.financing.eligibility.facts import facts_for
from ecosystem.financing.models import (
    Campaign,
    CampaignInvitation,
    Lead,
    Match,
    Product,
)
from tests.worlds.financing import (
    World,
    apply_url,
    build_world,
    client_for,
    product_post,
    secrets_of,
    sent_campaign,
    state,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


# ---- the enterprise's matches page and applying ----------------------------------------


def test_matches_page_explains_each_criterion_the_limit_and_near_misses(world):
    body = (
        client_for(world.users["member"])
        .get(f"/financing/enterprises/{world.matched.pk}/matches/")
        .content.decode()
    )
    assert 'data-testid="match" data-product="talent"' in body
    assert 'data-key="rd_intensity" data-passed="yes"' in body
    assert "10.00%" in body  # 1,234,567 / 12,345,678 ≈ 10.00 %
    # 1,234,567 × 2 + 1 × 500,000 = 2,969,134 → 2,960,000
    assert "2,960,000" in body
    assert 'data-testid="apply-talent"' in body
    near = (
        client_for(world.users["member_near"])
        .get(f"/financing/enterprises/{world.near.pk}/matches/")
        .content.decode()
    )
    assert 'data-testid="near-miss" data-product="talent"' in near
    assert 'data-testid="would-match-badge"' in near
    assert 'data-testid="apply-talent"' not in near


def test_apply_creates_exactly_one_lead_and_a_consent_routed_to_the_zone_branch(world):
    member = world.users["member"]
    client = client_for(member)
    url = apply_url(world, world.matched)
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # twice: still one lead
    lead = Lead.objects.get()
    assert (lead.enterprise, lead.product, lead.product_version, lead.bank) == (
        world.matched,
        world.product,
        world.version,
        world.bank,
    )
    assert (lead.status, lead.source, lead.branch) == ("new", "apply", world.branch)
    assert lead.indicative_limit == world.match_of(world.matched).indicative_limit
    consent = Consent.objects.get()
    assert (consent.enterprise, consent.bank, consent.purpose) == (
        world.matched,
        world.bank,
        "financing",
    )
    assert consent.revoked_at is None
    assert AuditEvent.objects.filter(verb="lead.created").count() == 1
    body = client.get(f"/financing/enterprises/{world.matched.pk}/matches/").content.decode()
    assert 'data-testid="lead-status"' in body


def test_a_zone_no_branch_serves_routes_to_the_head_office(world):
    lead = services.match_apply(
        enterprise=world.matched_elsewhere,
        actor=world.users["member_elsewhere"],
        match=world.match_of(world.matched_elsewhere),
    )
    assert lead.branch == world.head_office


def test_another_enterprises_match_cannot_be_applied_for(world):
    before = state()
    url = (
        f"/financing/enterprises/{world.matched.pk}/matches/"
        f"{world.match_of(world.matched_elsewhere).pk}/apply/"
    )
    assert client_for(world.users["member"]).post(url).status_code == 404
    assert state() == before


# ---- campaigns and invitations -----------------------------------------------------------


def test_campaign_preview_is_masked_and_its_exposure_is_the_sum_of_the_limits(world):
    client = client_for(world.users["manager"])
    response = client.post("/financing/bank/campaigns/new/", {"product": world.product.pk})
    campaign = Campaign.objects.get()
    assert response["Location"] == f"/financing/bank/campaigns/{campaign.pk}/"
    body = client.get(response["Location"]).content.decode()
    on = timezone.localdate()
    limits = [evaluate(facts_for(e, on=on), world.version, on=on) for e in Enterprise.objects.all()]
    expected = sum(r.limit for r in limits if r.eligible)
    assert expected == Decimal("2960000.00") + Decimal("6500000.00")
    assert f"{expected:,.2f}" in body
    assert 'data-testid="preview-count">2<' in body
    for secret in (*secrets_of(world), world.matched_elsewhere.name, world.matched_elsewhere.uscc):
        assert secret not in body
    assert Campaign.objects.get().status == "draft"
    assert not CampaignInvitation.objects.exists()


def test_sending_invites_each_matched_enterprise_and_notifies_its_members(world):
    campaign = sent_campaign(world)
    invitations = CampaignInvitation.objects.order_by("enterprise_id")
    assert [(i.enterprise, i.indicative_limit, i.status) for i in invitations] == [
        (world.matched, Decimal("2960000.00"), "sent"),
        (world.matched_elsewhere, Decimal("6500000.00"), "sent"),
    ]
    assert (campaign.status, campaign.invited_count, campaign.total_exposure) == (
        "sent",
        2,
        Decimal("9460000.00"),
    )
    notified = Notification.objects.filter(kind="campaign_invitation")
    assert {n.recipient for n in notified} == {
        world.users["member"],
        world.users["member_elsewhere"],
    }
    assert all(n.url.endswith("/invitations/") for n in notified)
    # Sending twice is refused and changes nothing; a new campaign skips those invited.
    before = state()
    response = client_for(world.users["manager"]).post(
        f"/financing/bank/campaigns/{campaign.pk}/send/"
    )
    assert response.status_code == 302
    assert state() == before
    again = services.campaign_create(product=world.product, actor=world.users["manager"])
    preview = services.campaign_preview(
        product_version=again.product_version, actor=world.users["manager"]
    )
    assert (preview.count, preview.total_exposure) == (0, Decimal("0.00"))


def test_another_banks_manager_cannot_send_and_nothing_changes(world):
    campaign = services.campaign_create(product=world.product, actor=world.users["manager"])
    before = state()
    for caller in ("other_manager", "rm", "member"):
        response = client_for(world.users[caller]).post(
            f"/financing/bank/campaigns/{campaign.pk}/send/"
        )
        assert response.status_code == 404
        assert (
            client_for(world.users[caller])
            .get(f"/financing/bank/campaigns/{campaign.pk}/")
            .status_code
            == 404
        )
    assert state() == before


def test_accepting_an_invitation_creates_a_lead_with_consent(world):
    campaign = sent_campaign(world)
    invitation = CampaignInvitation.objects.get(enterprise=world.matched_elsewhere)
    client = client_for(world.users["member_elsewhere"])
    body = client.get(f"/financing/enterprises/{world.matched_elsewhere.pk}/invitations/")
    assert "6,500,000" in body.content.decode()
    url = f"/financing/enterprises/{world.matched_elsewhere.pk}/invitations/{invitation.pk}/"
    # Another enterprise's member cannot answer it.
    before = state()
    assert client_for(world.users["member"]).post(url + "accept/").status_code == 404
    assert state() == before
    assert client.post(url + "accept/").status_code == 302
    lead = Lead.objects.get()
    assert (lead.enterprise, lead.source, lead.invitation, lead.branch) == (
        world.matched_elsewhere,
        "campaign",
        invitation,
        world.head_office,
    )
    assert lead.indicative_limit == Decimal("6500000.00")
    assert Consent.objects.get(enterprise=world.matched_elsewhere, bank=world.bank).is_active
    invitation.refresh_from_db()
    campaign.refresh_from_db()
    assert (invitation.status, invitation.responded_by) == (
        "accepted",
        world.users["member_elsewhere"],
    )
    assert campaign.accepted_count == 1
    # Answering twice is refused and changes nothing.
    before = state()
    client.post(url + "decline/")
    assert state() == before


def test_declining_shares_nothing(world):
    campaign = sent_campaign(world)
    invitation = CampaignInvitation.objects.get(enterprise=world.matched)
    client_for(world.users["member"]).post(
        f"/financing/enterprises/{world.matched.pk}/invitations/{invitation.pk}/decline/"
    )
    invitation.refresh_from_db()
    campaign.refresh_from_db()
    assert (invitation.status, campaign.declined_count) == ("declined", 1)
    assert not Lead.objects.exists() and not Consent.objects.exists()


def test_an_expired_invitation_cannot_be_accepted(world):
    sent_campaign(world)
    invitation = CampaignInvitation.objects.get(enterprise=world.matched)
    CampaignInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    before = state()
    client_for(world.users["member"]).post(
        f"/financing/enterprises/{world.matched.pk}/invitations/{invitation.pk}/accept/"
    )
    assert state() == before


# ---- the product editor ------------------------------------------------------------------

REFUSALS = [
    ("min-above-max", {"amount_min": "20000000"}, "amount_min"),
    ("rate-zero", {"rate_min": "0"}, "rate_min"),
    ("rate-min-above-max", {"rate_min": "5.0000"}, "rate_min"),
    ("rate-insane", {"rate_max": "40"}, "rate_min"),
    ("terms-reversed", {"term_min_months": "48"}, "term_min_months"),
    ("formula-without-factor", {"limit_factor": ""}, "limit_factor"),
    ("formula-without-basis", {"limit_basis": ""}, "limit_basis"),
    ("revenue-range-reversed", {"min_revenue": "9", "max_revenue": "1"}, "min_revenue"),
    ("intensity-over-a-hundred-percent", {"min_rd_intensity": "105"}, "min_rd_intensity"),
]


@pytest.mark.parametrize(
    ("change", "field"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_editor_refuses_bad_terms_keeps_the_input_and_changes_nothing(world, change, field):
    before = state()
    response = client_for(world.users["manager"]).post(
        f"/financing/bank/products/{world.product.pk}/",
        product_post(name_zh="改了名字的贷款", **change),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-testid="error-{field}"' in body
    assert 'value="改了名字的贷款"' in body  # the input is kept
    assert state() == before


def test_creating_a_product_with_refused_terms_creates_nothing(world):
    before = state()
    response = client_for(world.users["manager"]).post(
        "/financing/bank/products/new/",
        {**product_post(amount_min="20000000"), "bank": world.bank.pk, "code": "new-loan"},
    )
    assert 'data-testid="error-amount_min"' in response.content.decode()
    assert state() == before


def test_creating_a_product(world):
    response = client_for(world.users["manager"]).post(
        "/financing/bank/products/new/",
        {**product_post(), "bank": world.bank.pk, "code": "new-loan"},
    )
    assert response.status_code == 302
    product = Product.objects.get(code="new-loan")
    assert (product.bank, product.current_version.number) == (world.bank, 1)
    assert product.current_version.programs_any == ["hte", "tsme"]


def test_a_manager_cannot_create_for_another_bank(world):
    before = state()
    response = client_for(world.users["manager"]).post(
        "/financing/bank/products/new/",
        {**product_post(), "bank": world.other_bank.pk, "code": "sneaky"},
    )
    assert 'data-testid="error-bank"' in response.content.decode()
    assert state() == before


def test_saving_unchanged_terms_makes_no_new_version(world):
    before = state()
    response = client_for(world.users["manager"]).post(
        f"/financing/bank/products/{world.product.pk}/",
        product_post(programs_any=["tsme", "hte"]),
    )
    assert response.status_code == 302
    assert state()["versions"] == before["versions"]


def test_editing_an_active_product_makes_a_new_version_and_old_leads_keep_theirs(
    world, django_capture_on_commit_callbacks
):
    lead = services.match_apply(
        enterprise=world.matched, actor=world.users["member"], match=world.match_of(world.matched)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["manager"]).post(
            f"/financing/bank/products/{world.product.pk}/",
            product_post(limit_factor="3.0000"),
        )
    assert response.status_code == 302
    new = world.product.current_version
    assert new.number == 2 and new.limit_factor == Decimal("3.0000")
    lead.refresh_from_db()
    assert (lead.product_version, lead.indicative_limit) == (world.version, Decimal("2960000.00"))
    # The product was rematched after commit: matches now carry the new version.
    assert set(
        Match.objects.filter(product=world.product).values_list("product_version", flat=True)
    ) == {new.pk}
    # 1,234,567 × 3 + 500,000 = 4,203,701 → 4,200,000
    assert world.match_of(world.matched).indicative_limit == Decimal("4200000.00")


def test_staff_see_the_terms_read_only(world):
    body = (
        client_for(world.users["rm"])
        .get(f"/financing/bank/products/{world.product.pk}/")
        .content.decode()
    )
    assert 'data-testid="save"' not in body
    assert "disabled" in body
