"""Financing API: a permission matrix over every endpoint, masking of enterprises without
consent, applying, campaigns and invitations, product validation and versions, schema."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
import yaml
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.enterprises import services as enterprise_services
from ecosystem.enterprises.models import AccessLogEntry, Consent, Enterprise
from ecosystem.financing import services_leads
from ecosystem.financing.evaluator import evaluate
from ecosystem.financing.facts import facts_for
from ecosystem.financing.models import Campaign, CampaignInvitation, Lead, Match, Product
from tests.unit.test_financing_pages import TERMS, World, build_world, state

pytestmark = pytest.mark.django_db

API = "/api/v1/financing/"


def client_for(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def terms_json(**changes) -> dict:
    data = {
        "name_zh": "科技人才贷",
        "kind": "unsecured",
        **{k: str(v) if isinstance(v, Decimal) else v for k, v in TERMS.items()},
        **changes,
    }
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def world() -> World:
    w = build_world()
    w.campaign = services_leads.campaign_create(product=w.product, actor=w.users["manager"])
    other = services_leads.campaign_create(
        product=Product.objects.get(bank=w.other_bank), actor=w.users["other_manager"]
    )
    services_leads.campaign_send(campaign=other, actor=w.users["other_manager"])
    w.invitation = CampaignInvitation.objects.get(enterprise=w.matched, campaign=other)
    return w


# ---- permission matrix ---------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    #: status per caller; callers not listed get ``default``
    allowed: dict
    default: int = 404
    payload: object = None

    def url(self, w) -> str:
        return API + self.path.format(w=w, match=w.match_of(w.matched))


EVERYONE = {c: 200 for c in ("member", "other_member", "zone_official", "rm", "manager")}
EVERYONE |= {"other_manager": 200, "other_rm": 200}
BANK_A = {"rm": 200, "manager": 200}
ENDPOINTS = [
    Endpoint("products", "get", "products/", EVERYONE),
    Endpoint("product", "get", "products/{w.product.pk}/", BANK_A),
    Endpoint(
        "product create",
        "post",
        "products/",
        {"manager": 201},
        default=400,
        payload=lambda w: {**terms_json(), "bank": w.bank.pk, "code": "api-loan"},
    ),
    Endpoint(
        "product update",
        "put",
        "products/{w.product.pk}/",
        {"manager": 200, "rm": 403},
        payload=lambda w: terms_json(rate_max="4.5000"),
    ),
    Endpoint("matches", "get", "matches/", EVERYONE),
    Endpoint("match", "get", "matches/{match.pk}/", {"member": 200, **BANK_A}),
    Endpoint(
        "apply", "post", "matches/{match.pk}/apply/", {"member": 201, "rm": 403, "manager": 403}
    ),
    Endpoint("campaigns", "get", "campaigns/", EVERYONE),
    Endpoint(
        "campaign create",
        "post",
        "campaigns/",
        {"manager": 201},
        default=400,
        payload=lambda w: {"product": w.product.pk},
    ),
    Endpoint("campaign", "get", "campaigns/{w.campaign.pk}/", {"manager": 200}),
    Endpoint("campaign preview", "get", "campaigns/{w.campaign.pk}/preview/", {"manager": 200}),
    Endpoint("campaign send", "post", "campaigns/{w.campaign.pk}/send/", {"manager": 200}),
    Endpoint("invitations", "get", "pre-approvals/", EVERYONE),
    Endpoint("invitation", "get", "pre-approvals/{w.invitation.pk}/", {"member": 200}),
    Endpoint("accept", "post", "pre-approvals/{w.invitation.pk}/accept/", {"member": 201}),
    Endpoint("decline", "post", "pre-approvals/{w.invitation.pk}/decline/", {"member": 200}),
]
CALLERS = [
    "anonymous",
    "member",
    "other_member",
    "member_elsewhere",
    "zone_official",
    "rm",
    "manager",
    "other_manager",
    "other_rm",
]


def expected_status(endpoint: Endpoint, caller: str) -> int:
    if caller == "anonymous":
        return 401
    if caller == "member_elsewhere" and endpoint.method == "get" and endpoint.allowed is EVERYONE:
        return 200
    return endpoint.allowed.get(caller, endpoint.default)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.name}")
def test_permission_matrix(world, endpoint, caller):
    before = state()
    api = client_for(world.users[caller])
    payload = endpoint.payload(world) if endpoint.payload else None
    if endpoint.method == "get":
        response = api.get(endpoint.url(world))
    else:
        response = getattr(api, endpoint.method)(endpoint.url(world), payload, format="json")
    expected = expected_status(endpoint, caller)
    assert response.status_code == expected, (response.status_code, getattr(response, "data", ""))
    if expected >= 400:
        assert state() == before, "a denied call changed something"
        assert "code" in response.data or expected == 401
    elif endpoint.method != "get":
        assert state() != before, "an allowed write changed nothing"


# ---- what each side sees of a match --------------------------------------------------


def secrets_of(w: World) -> tuple:
    return (w.matched.name, w.matched.uscc, "13800138000", "cfo1@example.com", "12345678")


def bank_matches(w: World, caller="rm") -> list:
    return client_for(w.users[caller]).get(API + "matches/").data["results"]


def test_bank_without_consent_gets_masked_matches_only(world):
    results = bank_matches(world)
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
    results = {r["id"]: r for r in bank_matches(world)}
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


# ---- products ------------------------------------------------------------------------

REFUSALS = [
    ("min-above-max", {"amount_min": "20000000.00"}, "amount_min"),
    ("rate-zero", {"rate_min": "0"}, "rate_min"),
    ("rate-insane", {"rate_max": "40.0000"}, "rate_min"),
    ("formula-incomplete", {"limit_factor": None}, "limit_factor"),
    ("unknown-basis", {"limit_basis": "magic"}, "limit_basis"),
    ("unknown-program", {"programs_any": ["nope"]}, "programs_any"),
]


@pytest.mark.parametrize(
    ("change", "field"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_invalid_terms_are_400_with_field_errors_and_change_nothing(world, change, field):
    before = state()
    response = client_for(world.users["manager"]).put(
        API + f"products/{world.product.pk}/", terms_json(**change), format="json"
    )
    assert response.status_code == 400
    assert field in response.data["errors"]
    assert state() == before


def test_creating_an_existing_code_is_a_conflict(world):
    before = state()
    response = client_for(world.users["manager"]).post(
        API + "products/", {**terms_json(), "bank": world.bank.pk, "code": "talent"}, format="json"
    )
    assert response.status_code == 409
    assert state() == before


def test_changing_terms_makes_a_new_version_and_leads_keep_theirs(
    world, django_capture_on_commit_callbacks
):
    lead = services_leads.match_apply(
        enterprise=world.matched, actor=world.users["member"], match=world.match_of(world.matched)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["manager"]).put(
            API + f"products/{world.product.pk}/",
            terms_json(limit_factor="3.0000"),
            format="json",
        )
    assert response.status_code == 200
    assert response.data["current_version"]["number"] == 2
    lead.refresh_from_db()
    assert lead.product_version == world.version
    assert set(
        Match.objects.filter(product=world.product).values_list(
            "product_version__number", flat=True
        )
    ) == {2}
    # Unchanged terms make no version.
    again = client_for(world.users["manager"]).put(
        API + f"products/{world.product.pk}/", terms_json(limit_factor="3.0000"), format="json"
    )
    assert again.data["current_version"]["number"] == 2


# ---- schema --------------------------------------------------------------------------

FINANCING_PATHS = {
    "/api/v1/financing/products/": {"get", "post"},
    "/api/v1/financing/products/{id}/": {"get", "put"},
    "/api/v1/financing/matches/": {"get"},
    "/api/v1/financing/matches/{id}/": {"get"},
    "/api/v1/financing/matches/{id}/apply/": {"post"},
    "/api/v1/financing/campaigns/": {"get", "post"},
    "/api/v1/financing/campaigns/{id}/": {"get"},
    "/api/v1/financing/campaigns/{id}/preview/": {"get"},
    "/api/v1/financing/campaigns/{id}/send/": {"post"},
    "/api/v1/financing/pre-approvals/": {"get"},
    "/api/v1/financing/pre-approvals/{id}/": {"get"},
    "/api/v1/financing/pre-approvals/{id}/accept/": {"post"},
    "/api/v1/financing/pre-approvals/{id}/decline/": {"post"},
}


def test_schema_covers_the_financing_endpoints_without_warnings(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    target = tmp_path / "schema.yml"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(target),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    schema = yaml.safe_load(target.read_text())
    for path, methods in FINANCING_PATHS.items():
        assert set(schema["paths"][path]) & {"get", "post", "put", "patch", "delete"} == methods
    components = schema["components"]["schemas"]
    for name in ("FinancingMatch", "FinancingProduct", "FinancingCampaignPreview"):
        assert name in components
    match = components["FinancingMatch"]["properties"]
    assert match["enterprise"]["nullable"] is True  # masked
