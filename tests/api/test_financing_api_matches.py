"""Financing API: masking of enterprises without consent (what each side sees of a
match), applying, campaigns and invitations. The permission matrix, products and the
schema: test_financing_api.py."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from ecosystem.enterprises import services as enterprise_services
from ecosystem.enterprises.models import AccessLogEntry, Consent, Enterprise
from ecosystem.financing.eligibility.evaluator import evaluate
from ecosystem.financing.eligibility.facts import facts_for
from ecosystem.financing.models import Campaign, Lead, Product
from tests.worlds.financing import World
from tests.worlds.financing_api import API, client_for, world_with_campaigns

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return world_with_campaigns()


# ---- what each side sees of a match --------------------------------------------------


def secrets_of(w: World) -> tuple:
    return (w.matched.name, w.matched.uscc, "13800138000", "cfo1@example.com", "12345678")


def bank_matches(w: World, caller="rm") -> list:
    return client_for(w.users[caller]).get(API + "matches/").data["results"]


def test_bank_without_consent_gets_masked_matches_only(world):
    # the manager: both matches (the branch's RM sees the firm of its zone only)
    results = bank_matches(world, "manager")
    assert len(results) == 2
    assert all(r["masked"] and r["enterprise"] is None for r in results)
    assert all(r["explanation"] is None for r in results)
    text = json.dumps(results, ensure_ascii=False, default=str)
    for secret in secrets_of(world):
        assert secret not in text
    limits = {Decimal(r["indicative_limit"]) for r in results}
    assert limits == {Decimal("2960000.00"), Decimal("6500000.00")}
    detail = client_for(world.users["rm"]).get(API + f"matches/{world.match_of(world.matched).pk}/")
    assert world.matched.name not in json.dumps(detail.data, ensure_ascii=False, default=str)
    assert not AccessLogEntry.objects.exists()


def test_bank_with_consent_sees_name_contact_and_figures_and_is_logged(world):
    enterprise_services.consent_grant(
        enterprise=world.matched,
        actor=world.users["member"],
        bank=world.bank,
        purpose=Consent.Purpose.FINANCING,
    )
    results = {r["id"]: r for r in bank_matches(world, "manager")}
    seen = results[world.match_of(world.matched).pk]
    assert not seen["masked"]
    assert seen["enterprise"]["name"] == world.matched.name
    assert seen["enterprise"]["uscc"] == world.matched.uscc
    assert seen["enterprise"]["contact_phone"] == "13800138000"
    assert Decimal(seen["enterprise"]["revenue"]) == Decimal("12345678.00")
    assert results[world.match_of(world.matched_elsewhere).pk]["enterprise"] is None
    entry = AccessLogEntry.objects.get()
    assert (entry.enterprise, entry.bank, entry.section) == (
        world.matched,
        world.bank,
        "api:matches",
    )
    # The consent is for this bank only.
    text = json.dumps(bank_matches(world, "other_rm"), ensure_ascii=False, default=str)
    assert world.matched.uscc not in text


def test_member_sees_own_matches_with_the_explanation(world):
    results = client_for(world.users["member"]).get(API + "matches/").data["results"]
    other = Product.objects.get(bank=world.other_bank).pk
    assert sorted(r["product"] for r in results) == sorted([world.product.pk, other])
    assert all(r["own"] for r in results)
    [mine] = [r for r in results if r["product"] == world.product.pk]
    assert mine["own"] and not mine["masked"]
    assert mine["enterprise"]["uscc"] == world.matched.uscc
    explanation = mine["explanation"]
    assert explanation["eligible"] is True
    assert Decimal(explanation["limit"]) == Decimal("2960000.00")
    keys = {c["key"]: c for c in explanation["criteria"]}
    assert keys["rd_intensity"]["passed"] and keys["rd_intensity"]["actual"] == "10.00%"
    assert "R&D expense" in explanation["calculation"] or "研发" in explanation["calculation"]


def test_filters_narrow_the_bank_list(world):
    api = client_for(world.users["manager"])
    only = api.get(API + "matches/", {"enterprise": world.matched_elsewhere.pk}).data["results"]
    assert [r["id"] for r in only] == [world.match_of(world.matched_elsewhere).pk]
    assert api.get(API + "matches/", {"product": 0}).data["results"] == []


# ---- applying, campaigns and invitations ---------------------------------------------


def test_apply_creates_one_lead_and_a_consent_and_again_returns_it(world):
    api = client_for(world.users["member"])
    url = API + f"matches/{world.match_of(world.matched).pk}/apply/"
    first = api.post(url)
    assert first.status_code == 201
    second = api.post(url)
    assert second.status_code == 200 and second.data["id"] == first.data["id"]
    lead = Lead.objects.get()
    assert (lead.source, lead.status, lead.branch, lead.product_version) == (
        "apply",
        "new",
        world.branch,
        world.version,
    )
    consent = Consent.objects.get(enterprise=world.matched)
    assert (consent.bank, consent.purpose, consent.is_active) == (world.bank, "financing", True)


def test_campaign_preview_is_masked_with_the_exact_total_exposure(world):
    data = (
        client_for(world.users["manager"]).get(API + f"campaigns/{world.campaign.pk}/preview/").data
    )
    on = timezone.localdate()
    expected = sum(
        (
            r.limit
            for e in Enterprise.objects.all()
            if (r := evaluate(facts_for(e, on=on), world.version, on=on)).eligible
        ),
        Decimal("0"),
    )
    assert data["count"] == 2
    assert Decimal(data["total_exposure"]) == expected == Decimal("9460000.00")
    assert sum(Decimal(r["indicative_limit"]) for r in data["rows"]) == expected
    assert set(data["rows"][0]) == {
        "stage",
        "stage_label",
        "zone",
        "industry_section",
        "indicative_limit",
    }
    text = json.dumps(data, ensure_ascii=False, default=str)
    for secret in (*secrets_of(world), world.matched_elsewhere.name):
        assert secret not in text


def test_send_then_accept_creates_a_lead_with_consent(world):
    manager = client_for(world.users["manager"])
    sent = manager.post(API + f"campaigns/{world.campaign.pk}/send/")
    assert (sent.data["status"], sent.data["invited_count"]) == ("sent", 2)
    assert manager.post(API + f"campaigns/{world.campaign.pk}/send/").status_code == 409
    assert manager.get(API + f"campaigns/{world.campaign.pk}/preview/").status_code == 409
    member = client_for(world.users["member_elsewhere"])
    listed = member.get(API + "pre-approvals/").data["results"]
    [invitation] = [i for i in listed if i["bank"] == world.bank.pk]
    assert Decimal(invitation["indicative_limit"]) == Decimal("6500000.00")
    assert invitation["is_open"] and invitation["enterprise"] == world.matched_elsewhere.pk
    accepted = member.post(API + f"pre-approvals/{invitation['id']}/accept/")
    assert accepted.status_code == 201
    assert (accepted.data["source"], accepted.data["branch"]) == ("campaign", world.head_office.pk)
    assert Consent.objects.get(enterprise=world.matched_elsewhere, bank=world.bank).is_active
    again = member.post(API + f"pre-approvals/{invitation['id']}/accept/")
    assert again.status_code == 409 and again.data["code"] == "already_answered"
    assert Campaign.objects.get(pk=world.campaign.pk).accepted_count == 1


def test_a_member_who_is_also_bank_staff_lists_both_sets_of_matches(world):
    """The list is the user's enterprises' matches and their banks' products' matches: the
    banks' product ids named in the query for the planner narrow neither."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from ecosystem.accounts.models import Membership
    from ecosystem.accounts.roles import Role
    from ecosystem.financing.models import Match
    from tests.factories import EnterpriseFactory, ProductVersionFactory

    member = world.users["member"]
    Membership.objects.create(user=member, role=Role.BANK_MANAGER, bank=world.other_bank)
    TOTP.activate(member, generate_totp_secret())  # staff reach the API with a second factor
    other_version = ProductVersionFactory(product__bank=world.other_bank)
    stranger = EnterpriseFactory()
    for enterprise, version in ((stranger, other_version), (world.matched, world.version)):
        Match.objects.get_or_create(
            enterprise=enterprise,
            product_version=version,
            defaults={
                "product": version.product,
                "score": 50,
                "indicative_limit": Decimal("1.00"),
                "computed_at": timezone.now(),
            },
        )
    listed = client_for(member).get(API + "matches/?page_size=200").data["results"]
    expected = Match.objects.filter(enterprise=world.matched) | Match.objects.filter(
        product__bank=world.other_bank
    )
    assert sorted(m["id"] for m in listed) == sorted(expected.values_list("pk", flat=True))
    assert {world.version.product_id, other_version.product_id} <= {m["product"] for m in listed}
