"""Financing API: a permission matrix over every endpoint, product validation and
versions, and the schema. What each side sees of a match, applying, campaigns and
invitations: test_financing_api_matches.py."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
import yaml

from ecosystem.financing import services
from ecosystem.financing.models import Match
from tests.worlds.financing import TERMS, World, state
from tests.worlds.financing_api import API, client_for, world_with_campaigns
from tests.worlds.fresh import fresh

pytestmark = pytest.mark.django_db


def terms_json(**changes) -> dict:
    data = {
        "name_zh": "科技人才贷",
        "kind": "unsecured",
        **{k: str(v) if isinstance(v, Decimal) else v for k, v in TERMS.items()},
        **changes,
    }
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture(scope="module")
def _built(module_db) -> World:
    """The world, built once for the module; each test runs in a savepoint rolled back
    after it (153 tests built it again each)."""
    return world_with_campaigns()


@pytest.fixture
def world(_built) -> World:
    """The module's world as this test's own objects (``tests.worlds.fresh``)."""
    return fresh(_built)


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
    lead = services.match_apply(
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
