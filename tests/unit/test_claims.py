"""Qualification claims: drafts, evidence, submission, the workflow table and its guards."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.models import AuditEvent, Notification
from ecosystem.enterprises import services, workflow
from ecosystem.enterprises.models import ClaimRevision, Evidence, QualificationClaim
from ecosystem.enterprises.tasks import expire_claims
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import (
    BankStaffFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    UserFactory,
    ZoneOfficialFactory,
)
from tests.worlds.files import PDF_DOCUMENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return EnterpriseMemberFactory()


@pytest.fixture
def enterprise(member):
    return member.memberships.get().enterprise


@pytest.fixture
def official(enterprise):
    return ZoneOfficialFactory(zone=enterprise.zone)


@pytest.fixture
def claim(enterprise, member):
    return services.claim_create(
        enterprise=enterprise,
        actor=member,
        program=ProgramFactory(),
        certificate_number=" GR202411000123 ",
        year=2024,
        valid_until=date.today() + timedelta(days=365),
    )


def attach(claim, member, content=PDF_DOCUMENT, name="certificate.pdf"):
    return services.evidence_add(
        claim=claim, actor=member, upload=SimpleUploadedFile(name, content)
    )


def test_a_new_claim_is_a_draft(claim):
    assert claim.status == ClaimStatus.DRAFT
    assert claim.certificate_number == "GR202411000123"


def test_a_second_open_claim_for_the_same_program_is_refused(claim, enterprise, member):
    with pytest.raises(ConflictError):
        services.claim_create(
            enterprise=enterprise,
            actor=member,
            program=claim.program,
            certificate_number="X",
            year=2024,
        )
    assert QualificationClaim.objects.count() == 1


def test_evidence_is_stored_under_a_random_name_outside_static(claim, member, settings):
    evidence = attach(claim, member)
    assert evidence.kind == "pdf"
    assert "certificate" not in evidence.file.name
    assert evidence.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with evidence.file.open("rb") as handle:
        assert handle.read() == PDF_DOCUMENT


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_stored(claim, member, settings):
    with pytest.raises(ApplicationError) as excinfo:
        attach(claim, member, content=b"MZ\x90\x00" + b"\x00" * 100, name="certificate.pdf")
    assert "Windows executable" in str(excinfo.value.message)
    assert not Evidence.objects.exists()


def test_submitting_without_evidence_is_refused_and_changes_nothing(claim, member):
    with pytest.raises(ApplicationError) as excinfo:
        services.claim_submit(claim=claim, actor=member)
    assert excinfo.value.code == "evidence_required"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT
    assert not ClaimRevision.objects.exists()


def test_submitting_records_a_revision_and_an_audit_event(claim, member):
    attach(claim, member)
    claim = services.claim_submit(claim=claim, actor=member, message="请审核")
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.submitted_at is not None
    revision = ClaimRevision.objects.get(claim=claim)
    assert revision.number == 1
    assert revision.data["certificate_number"] == "GR202411000123"
    assert AuditEvent.objects.filter(verb="claim.submitted", target_id=str(claim.pk)).exists()


def test_a_submitted_claim_can_no_longer_be_edited(claim, member):
    attach(claim, member)
    services.claim_submit(claim=claim, actor=member)
    with pytest.raises(ConflictError):
        services.claim_update(claim=claim, actor=member, certificate_number="OTHER")
    with pytest.raises(ConflictError):
        attach(claim, member)
    claim.refresh_from_db()
    assert claim.certificate_number == "GR202411000123"
    assert claim.evidence.count() == 1


def test_the_enterprise_cannot_verify_its_own_claim(claim, member):
    attach(claim, member)
    services.claim_submit(claim=claim, actor=member)
    with pytest.raises(ConflictError):
        services.claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=member)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_rejection_requires_a_reason_code_and_a_refusal_changes_nothing(claim, member, official):
    attach(claim, member)
    services.claim_submit(claim=claim, actor=member)
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as excinfo:
        services.claim_transition(
            claim=claim, to=ClaimStatus.REJECTED, actor=official, reason_text="证书不清晰"
        )
    assert excinfo.value.code == "reason_required"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert AuditEvent.objects.count() == events
    services.claim_transition(
        claim=claim,
        to=ClaimStatus.REJECTED,
        actor=official,
        reason_code="evidence_unreadable",
        reason_text="证书不清晰",
    )
    claim.refresh_from_db()
    assert (claim.status, claim.reason_code, claim.decided_by) == (
        ClaimStatus.REJECTED,
        "evidence_unreadable",
        official,
    )
    assert Notification.objects.filter(recipient=member, kind="claim_status").exists()


def test_a_second_decision_is_refused_with_who_decided(claim, member, official):
    attach(claim, member)
    services.claim_submit(claim=claim, actor=member)
    services.claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=official)
    other = ZoneOfficialFactory(zone=claim.enterprise.zone)
    with pytest.raises(ConflictError) as excinfo:
        services.claim_transition(
            claim=claim, to=ClaimStatus.REJECTED, actor=other, reason_code="other"
        )
    assert excinfo.value.code == "already_decided"
    assert str(official) in str(excinfo.value.message)


def test_officials_of_other_zones_and_banks_cannot_decide(claim, member):
    attach(claim, member)
    services.claim_submit(claim=claim, actor=member)
    for outsider in (ZoneOfficialFactory(), BankStaffFactory(), UserFactory()):
        with pytest.raises(ApplicationError) as excinfo:
            services.claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=outsider)
        assert excinfo.value.status == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_request_for_information_then_resubmission_keeps_both_revisions(claim, member, official):
    attach(claim, member)
    services.claim_submit(claim=claim, actor=member)
    with pytest.raises(ApplicationError):
        services.claim_transition(claim=claim, to=ClaimStatus.NEEDS_INFO, actor=official)
    services.claim_transition(
        claim=claim, to=ClaimStatus.NEEDS_INFO, actor=official, message="请补充证书背面"
    )
    services.claim_update(claim=claim, actor=member, certificate_number="GR202411000124")
    attach(claim, member, name="back.pdf")
    claim = services.claim_submit(claim=claim, actor=member, message="已补充")
    assert claim.status == ClaimStatus.RESUBMITTED
    numbers = list(claim.revisions.values_list("number", "data__certificate_number"))
    assert numbers == [(1, "GR202411000123"), (2, "GR202411000124")]


def test_verified_claims_past_validity_expire_once(claim, member, official):
    attach(claim, member)
    services.claim_submit(claim=claim, actor=member)
    services.claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=official)
    QualificationClaim.objects.filter(pk=claim.pk).update(
        valid_until=date.today() - timedelta(days=1)
    )
    assert expire_claims.delay().get() == 1
    assert expire_claims.delay().get() == 0
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.EXPIRED


def test_every_transition_in_the_table_names_known_states_and_parties():
    parties = {
        workflow.ENTERPRISE,
        workflow.ZONE,
        workflow.REGISTRY,
        workflow.SYSTEM,
        workflow.DISPUTE,
    }
    for (source, target), move in workflow.TRANSITIONS.items():
        assert source in ClaimStatus.values and target in ClaimStatus.values
        assert move.parties <= parties
    assert workflow.allowed_targets(ClaimStatus.DRAFT, workflow.ENTERPRISE) == [
        ClaimStatus.SUBMITTED
    ]
