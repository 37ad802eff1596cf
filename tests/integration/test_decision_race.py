"""Two officials decide one claim at the same moment: exactly one decision applies."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ecosystem.core.errors import ConflictError
from ecosystem.core.models import AuditEvent
from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)
from tests.worlds.concurrency import run_together


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_decisions_apply_exactly_once(require_postgres):
    zone = ZoneFactory()
    enterprise = EnterpriseFactory(zone=zone)
    member = EnterpriseMemberFactory(enterprise=enterprise)
    claim = es.claim_create(
        enterprise=enterprise,
        actor=member,
        program=ProgramFactory(),
        certificate_number="R1",
        year=2025,
    )
    es.evidence_add(claim=claim, actor=member, upload=SimpleUploadedFile("c.pdf", b"%PDF-1.4"))
    es.claim_transition(claim=claim, to=ClaimStatus.SUBMITTED, actor=member)
    alice, bob = ZoneOfficialFactory(zone=zone), ZoneOfficialFactory(zone=zone)
    results = run_together(
        lambda: es.claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=alice),
        lambda: es.claim_transition(
            claim=claim, to=ClaimStatus.REJECTED, actor=bob, reason_code="other", reason_text="no"
        ),
    )
    applied = [r for r in results if isinstance(r, QualificationClaim)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(applied) == 1 and len(refused) == 1, results
    assert refused[0].code == "already_decided"
    final = QualificationClaim.objects.get(pk=claim.pk)
    assert final.status == applied[0].status
    decisions = AuditEvent.objects.filter(
        target_id=str(claim.pk), verb__in=["claim.verified", "claim.rejected"]
    )
    assert decisions.count() == 1
