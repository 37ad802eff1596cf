"""The pool through the API: a scheme's live figures, filing by the bank, the fund
manager's confirmation, a claim with four eyes, and refusals that change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from ecosystem.funds.models import CompensationClaim, Filing
from tests.worlds.fund_pool import PoolWorld

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_scheme_figures_filing_and_confirmation_through_the_api():
    world = PoolWorld()
    scheme = api(world.rm).get(f"/api/v1/funds/schemes/{world.pool.pk}/").json()
    assert scheme["figures"]["headroom"] == "5000000.00"
    created = api(world.rm).post(
        "/api/v1/funds/filings/", {"loan": world.loan.pk, "scheme": world.pool.pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    filing = created.json()
    assert filing["eligibility"]["qualifications"][0]["source"] == "registry"
    again = api(world.rm).post(
        "/api/v1/funds/filings/", {"loan": world.loan.pk, "scheme": world.pool.pk}, format="json"
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_filed")
    outsider = api(world.other.rm).post(
        "/api/v1/funds/filings/", {"loan": world.loan.pk, "scheme": world.pool.pk}, format="json"
    )
    assert outsider.status_code == 404
    move = f"/api/v1/funds/filings/{filing['id']}/move/"
    refused = api(world.rm).post(move, {"to": "confirmed"}, format="json")
    assert (refused.status_code, Filing.objects.get().status) == (403, "filed")
    assert api(world.fm).post(move, {"to": "confirmed"}, format="json").status_code == 200
    scheme = api(world.rm).get(f"/api/v1/funds/schemes/{world.pool.pk}/").json()
    assert scheme["figures"]["headroom"] == "4000000.00"


def test_claim_four_eyes_through_the_api():
    world = PoolWorld()
    filing = world.confirmed()
    world.default()
    created = api(world.rm).post(
        "/api/v1/funds/claims/", {"filing": filing.pk, "recovery_actions": "诉讼"}, format="json"
    )
    assert created.status_code == 201 and created.json()["requested"] == "400000.00"
    move = f"/api/v1/funds/claims/{created.json()['id']}/move/"
    assert api(world.fm).post(move, {"to": "reviewed"}, format="json").status_code == 200
    same = api(world.fm).post(move, {"to": "approved"}, format="json")
    assert (same.status_code, same.json()["code"]) == (409, "four_eyes")
    assert CompensationClaim.objects.get().amount is None
    approved = api(world.fm2).post(move, {"to": "approved"}, format="json")
    assert approved.json()["amount"] == "400000.00"
    assert CompensationClaim.objects.get().amount == Decimal("400000.00")
    listed = api(world.other.rm).get("/api/v1/funds/claims/").json()
    assert listed["count"] == 0
