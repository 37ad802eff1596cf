"""A rejected claim is no dead end: the firm corrects it and resubmits it as a new
revision, the rejection kept in the history, and it lands in the zone's queue again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ecosystem.core.errors import ConflictError
from ecosystem.core.models import AuditEvent
from ecosystem.enterprises import services
from ecosystem.enterprises.review.queue import claims_awaiting_review
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import ZoneFactory, ZoneOfficialFactory
from tests.worlds.files import PDF_DOCUMENT
from tests.worlds.zone import submit_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected():
    claim, member = submit_claim(ZoneFactory())
    official = ZoneOfficialFactory(zone=claim.enterprise.zone)
    services.claim_transition(
        claim=claim,
        to=ClaimStatus.REJECTED,
        actor=official,
        reason_code="other",
        reason_text="证书号与扫描件不符",
    )
    claim.refresh_from_db()
    return claim, member, official


def test_a_rejected_claim_is_corrected_and_resubmitted_as_a_new_revision(rejected):
    claim, member, official = rejected
    assert not claims_awaiting_review(user=official).filter(pk=claim.pk).exists()
    services.claim_update(claim=claim, actor=member, certificate_number="GR202511000999")
    services.evidence_add(
        claim=claim, actor=member, upload=SimpleUploadedFile("fixed.pdf", PDF_DOCUMENT)
    )
    claim = services.claim_submit(claim=claim, actor=member, message="已更正证书号")
    assert claim.status == ClaimStatus.RESUBMITTED
    assert list(claim.revisions.values_list("number", "data__certificate_number")) == [
        (1, "GR202511000123"),
        (2, "GR202511000999"),
    ]
    verbs = list(
        AuditEvent.objects.filter(target_id=str(claim.pk), verb__startswith="claim.")
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )
    assert verbs.index("claim.rejected") < verbs.index("claim.resubmitted")
    assert claims_awaiting_review(user=official).filter(pk=claim.pk).exists()


def test_a_rejected_claim_is_not_resubmitted_beside_a_newer_open_claim(rejected):
    claim, member, _official = rejected
    newer = services.claim_create(
        enterprise=claim.enterprise,
        actor=member,
        program=claim.program,
        certificate_number="GR2",
        year=2025,
    )
    with pytest.raises(ConflictError) as excinfo:
        services.claim_submit(claim=claim, actor=member)
    assert excinfo.value.code == "duplicate_claim"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert newer.status == ClaimStatus.DRAFT


def test_the_rejected_claim_page_offers_correct_and_resubmit(rejected):
    claim, member, _official = rejected
    client = Client()
    client.force_login(member)
    url = reverse("claim_detail", args=[claim.enterprise_id, claim.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="claim-edit-form"' in page
    assert 'data-testid="submit-claim"' in page
    response = client.post(
        reverse("claim_submit", args=[claim.enterprise_id, claim.pk]), {"message": "再次提交"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESUBMITTED
