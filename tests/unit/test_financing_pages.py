"""Financing pages: a permission matrix over every page, masking of enterprises without
consent, applying, campaigns with their invitations, and the product editor."""

from __future__ import annotations

from io import BytesIO

import pytest

from ecosystem.enterprises import services as enterprise_services
from ecosystem.enterprises.models import (
    AccessLogEntry,
    Consent,
)
from ecosystem.financing.models import (
    Match,
)
from tests.worlds.financing import (
    World,
    apply_url,
    build_world,
    client_for,
    product_post,
    secrets_of,
    state,
)
from tests.worlds.fresh import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _built(module_db) -> World:
    """The world, built once for the module; each test runs in a savepoint rolled back
    after it (104 tests built it again each)."""
    return build_world()


@pytest.fixture
def world(_built) -> World:
    """The module's world as this test's own objects (``tests.worlds.fresh``)."""
    return fresh(_built)


# ---- permission matrix ---------------------------------------------------------------


PAGES = {
    # name: (method, url builder)
    "matches": ("get", lambda w: f"/financing/enterprises/{w.matched.pk}/matches/"),
    "invitations": ("get", lambda w: f"/financing/enterprises/{w.matched.pk}/invitations/"),
    "apply": ("post", lambda w: apply_url(w, w.matched)),
    "products": ("get", lambda w: "/financing/bank/products/"),
    "product_new": ("get", lambda w: "/financing/bank/products/new/"),
    "product_edit": ("get", lambda w: f"/financing/bank/products/{w.product.pk}/"),
    "product_save": ("post", lambda w: f"/financing/bank/products/{w.product.pk}/"),
    "bank_matches": ("get", lambda w: "/financing/bank/matches/"),
    "export": ("get", lambda w: "/financing/bank/matches/export/csv/"),
    "campaigns": ("get", lambda w: "/financing/bank/campaigns/"),
    "campaign_new": ("post", lambda w: "/financing/bank/campaigns/new/"),
}
BANK_READ = {"products", "product_edit", "bank_matches", "export"}
MANAGER_ONLY = {"product_new", "campaigns", "campaign_new"}
OWN_BANK_OBJECT = {"product_edit", "product_save"}

# Expected status per (page, caller); anything not listed is a 404.
EXPECTED = {}
for page in PAGES:
    EXPECTED[(page, "anonymous")] = 302  # to the sign-in page
for page in ("matches", "invitations"):
    EXPECTED[(page, "member")] = 200
EXPECTED[("apply", "member")] = 302
for page in BANK_READ:
    for caller in ("rm", "manager", "other_manager", "other_rm"):
        if page in OWN_BANK_OBJECT and caller.startswith("other"):
            continue
        EXPECTED[(page, caller)] = 200
for page in MANAGER_ONLY:
    for caller in ("manager", "other_manager"):
        EXPECTED[(page, caller)] = 302 if page == "campaign_new" else 200
EXPECTED[("product_save", "manager")] = 302
EXPECTED[("product_save", "rm")] = 200  # the read-only page again, nothing saved

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


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("page", list(PAGES))
def test_permission_matrix(world, page, caller):
    method, url = PAGES[page]
    payload = {}
    if page == "product_save":
        payload = product_post(rate_max="4.5000")
    if page == "campaign_new":
        payload = {"product": world.product.pk}
    before = state()
    response = getattr(client_for(world.users[caller]), method)(url(world), payload)
    expected = EXPECTED.get((page, caller), 404)
    assert response.status_code == expected, (page, caller)
    if expected == 302 and caller == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    if method == "post" and expected != 302 or caller == "anonymous":
        assert state() == before
    if page == "campaign_new" and caller != "manager":
        assert state() == before  # a product of another bank starts nothing


def test_other_bank_sees_none_of_this_banks_products_or_matches(world):
    client = client_for(world.users["other_manager"])
    assert "科技人才贷" not in client.get("/financing/bank/products/").content.decode()
    body = client.get("/financing/bank/matches/").content.decode()
    assert body.count('data-testid="bank-match"') == 2  # its own product's matches
    assert "科技人才贷" not in body
    for match in Match.objects.filter(product=world.product):
        assert f'data-match="{match.pk}"' not in body


# ---- masking -------------------------------------------------------------------------


# The manager sees both of the bank's matches; the branch's RM only the firm of the zone
# the branch serves (the other firm's leads route to the head office).
@pytest.mark.parametrize("caller, rows", [("rm", 1), ("manager", 2)])
def test_bank_without_consent_sees_no_name_code_contact_or_figures(world, caller, rows):
    client = client_for(world.users[caller])
    body = client.get("/financing/bank/matches/").content.decode()
    assert body.count('data-testid="bank-match"') == rows
    assert body.count('data-masked="yes"') == rows
    assert f'data-match="{world.match_of(world.matched).pk}"' in body
    assert "2,960,000.00" in body  # the indicative limit is shown
    for secret in secrets_of(world):
        assert secret not in body
    csv = b"".join(client.get("/financing/bank/matches/export/csv/").streaming_content)
    xlsx = client.get("/financing/bank/matches/export/xlsx/")
    from openpyxl import load_workbook

    cells = [
        str(c.value)
        for row in load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows()
        for c in row
    ]
    for secret in secrets_of(world):
        assert secret not in csv.decode("utf-8-sig")
        assert not any(secret in cell for cell in cells)
    assert not AccessLogEntry.objects.exists()


def test_with_consent_the_bank_sees_the_enterprise_and_the_view_is_logged(world):
    enterprise_services.consent_grant(
        enterprise=world.matched,
        actor=world.users["member"],
        bank=world.bank,
        purpose=Consent.Purpose.FINANCING,
    )
    client = client_for(world.users["rm"])
    body = client.get("/financing/bank/matches/").content.decode()
    assert body.count('data-masked="no"') == 1
    for secret in secrets_of(world):
        assert secret in body
    assert world.matched_elsewhere.name not in body  # no consent from that one
    entry = AccessLogEntry.objects.get()
    assert (entry.enterprise, entry.viewer, entry.bank) == (
        world.matched,
        world.users["rm"],
        world.bank,
    )
    csv = b"".join(client.get("/financing/bank/matches/export/csv/").streaming_content)
    assert world.matched.uscc in csv.decode("utf-8-sig")
    assert world.matched_elsewhere.uscc not in csv.decode("utf-8-sig")
    # Consent to another bank lifts nothing for this one.
    other = client_for(world.users["other_rm"]).get("/financing/bank/matches/").content.decode()
    assert world.matched.name not in other


def test_revoking_consent_masks_the_enterprise_again_at_once(world):
    consent = enterprise_services.consent_grant(
        enterprise=world.matched,
        actor=world.users["member"],
        bank=world.bank,
        purpose=Consent.Purpose.FINANCING,
    )
    client = client_for(world.users["rm"])
    assert world.matched.name in client.get("/financing/bank/matches/").content.decode()
    enterprise_services.consent_revoke(consent=consent, actor=world.users["member"])
    assert world.matched.name not in client.get("/financing/bank/matches/").content.decode()
