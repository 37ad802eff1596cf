"""The enterprise API beyond its permission matrix: qualification claims and their
evidence, consent to banks, the access log and token access."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from ecosystem.enterprises.models import (
    AccessLogEntry,
    Consent,
    Evidence,
    QualificationClaim,
)
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import api_key_for
from tests.worlds.enterprise_api import EXE, PDF, base, build_world, client_for, program, state

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- claims


def claim_url(world, claim, suffix=""):
    return base(world) + f"claims/{claim.pk}/" + suffix


def test_executable_renamed_to_pdf_is_refused_with_a_clear_message():
    world = build_world()
    before = state(world)
    upload = SimpleUploadedFile("certificate.pdf", EXE, content_type="application/pdf")
    response = client_for(world.owner).post(
        claim_url(world, world.draft, "evidence/"),
        {"file": upload},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "upload_bad_type"
    assert "certificate.pdf" in body["detail"]
    assert "executable" in body["detail"]
    assert state(world) == before


def test_submitting_without_evidence_is_refused():
    world = build_world()
    api = client_for(world.owner)
    created = api.post(
        base(world) + "claims/",
        {"program": program("little-giant").code, "certificate_number": "XJR-1", "year": 2023},
        format="json",
    )
    assert created.status_code == 201
    claim_id = created.json()["id"]
    response = api.post(base(world) + f"claims/{claim_id}/submit/", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "evidence_required")
    assert QualificationClaim.objects.get(pk=claim_id).status == ClaimStatus.DRAFT


def test_submitted_claim_can_no_longer_be_changed():
    world = build_world()
    api = client_for(world.owner)
    submitted = api.post(claim_url(world, world.draft, "submit/"), {}, format="json")
    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")
    change = api.patch(
        claim_url(world, world.draft),
        {"version": submitted.json()["version"], "certificate_number": "X"},
        format="json",
    )
    assert (change.status_code, change.json()["code"]) == (409, "not_editable")
    remove = api.delete(claim_url(world, world.draft, f"evidence/{world.draft_evidence.pk}/"))
    assert remove.status_code == 409
    assert Evidence.objects.filter(pk=world.draft_evidence.pk).exists()


def test_evidence_download_streams_the_file():
    world = build_world()
    response = client_for(world.owner).get(
        claim_url(world, world.draft, f"evidence/{world.draft_evidence.pk}/download/")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_bank_sees_verified_claims_only():
    world = build_world()
    api = client_for(world.callers["bank_consent"])
    listed = api.get(base(world) + "claims/").json()["results"]
    assert [c["id"] for c in listed] == [world.verified.pk]
    assert api.get(claim_url(world, world.draft)).status_code == 404
    download = claim_url(world, world.draft, f"evidence/{world.draft_evidence.pk}/download/")
    assert api.get(download).status_code == 404
    zone_listed = client_for(world.callers["zone_same"]).get(base(world) + "claims/").json()
    assert {c["id"] for c in zone_listed["results"]} == {world.draft.pk, world.verified.pk}


def test_evidence_of_another_enterprises_claim_is_404_through_this_enterprise():
    world = build_world()
    other = build_world()
    url = claim_url(world, other.draft, f"evidence/{other.draft_evidence.pk}/download/")
    # the other enterprise's owner knows the ids but not through this enterprise
    assert client_for(other.owner).get(url).status_code == 404
    assert client_for(world.owner).get(url).status_code == 404


# --------------------------------------------------------------------------- consent


def test_revoking_consent_hides_the_enterprise_from_the_bank_at_once():
    world = build_world()
    bank_api = client_for(world.callers["bank_consent"])
    assert bank_api.get(base(world)).status_code == 200
    revoke = client_for(world.owner).post(base(world) + f"consents/{world.consent.pk}/revoke/")
    assert revoke.status_code == 200
    assert revoke.json()["is_active"] is False
    assert bank_api.get(base(world)).status_code == 404
    assert bank_api.get(base(world) + "financial-years/").status_code == 404
    assert world.enterprise.pk not in {
        row["id"] for row in bank_api.get("/api/v1/enterprises/").json()["results"]
    }


def test_granting_consent_again_returns_the_active_one():
    world = build_world()
    response = client_for(world.owner).post(
        base(world) + "consents/",
        {"bank": world.consent.bank.code, "purpose": "financing"},
        format="json",
    )
    assert (response.status_code, response.json()["id"]) == (200, world.consent.pk)
    assert Consent.objects.count() == 1


def test_member_sees_who_at_the_bank_looked():
    world = build_world()
    banker = world.callers["bank_consent"]
    client_for(banker).get(base(world))
    log = client_for(world.owner).get(base(world) + "access-log/").json()["results"]
    assert [(e["viewer_email"], e["bank"], e["section"]) for e in log] == [
        (banker.email, world.consent.bank.code, "api:enterprise")
    ]


def test_token_authentication_works_for_a_bank_user_with_consent():
    world = build_world()
    banker = world.callers["bank_consent"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(banker)}")
    response = api.get(base(world))
    assert response.status_code == 200
    assert response.json()["uscc"] == world.enterprise.uscc
    assert AccessLogEntry.objects.filter(viewer=banker, section="api:enterprise").count() == 1
    api.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert api.get(base(world)).status_code == 401
