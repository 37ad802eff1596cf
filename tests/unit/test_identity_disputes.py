"""Disputes over who holds a credit code (issue #20): upheld, the record is transferred,
the squatter's memberships and consents end, what it got verified is revoked and every
bank that saw the firm is told; dismissed, nothing changes; the story is in the audit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent, Notification
from ecosystem.enterprises.models import AccessLogEntry, Consent, Dispute
from ecosystem.enterprises.services.disputes import dispute_decide, dispute_file
from ecosystem.enterprises.services.identity import identity_decide, identity_submit
from ecosystem.enterprises.workflow import ClaimStatus, DisputeStatus, IdentityStatus
from tests.factories import (
    BankFactory,
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    ConsentFactory,
    UserFactory,
    ZoneOfficialFactory,
)
from tests.worlds.identity import REAL_NAME, documents, squat, submit_claim

pytestmark = pytest.mark.django_db
CLAIMANT = "北京真实芯片科技股份有限公司"


def _squatted_and_verified(capture):
    """The zone was fooled: the squatter's identity confirmed, its claim verified, one
    bank holding consent and another that looked at it once."""
    world = squat(name=REAL_NAME)
    with capture(execute=True):
        claim = submit_claim(world.enterprise, world.squatter, world.program)
    identity_submit(enterprise=world.enterprise, actor=world.squatter, **documents())
    with capture(execute=True):
        identity_decide(enterprise=world.enterprise, actor=world.official, confirm=True)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    consenting, looking = BankFactory(), BankFactory()
    ConsentFactory(enterprise=world.enterprise, bank=consenting)
    rm = BankStaffFactory(branch=BranchFactory(bank=looking))
    AccessLogEntry.objects.create(
        enterprise=world.enterprise, viewer=rm, bank=looking, section="profile"
    )
    staff = {
        "consenting": BankManagerFactory(bank=consenting),
        "looking": rm,
        "unrelated": BankManagerFactory(),
    }
    return world, claim, staff


def test_an_upheld_dispute_transfers_the_record_and_revokes_what_the_squatter_got(
    django_capture_on_commit_callbacks,
):
    world, claim, staff = _squatted_and_verified(django_capture_on_commit_callbacks)
    owner = UserFactory()
    dispute = dispute_file(
        user=owner, uscc=world.uscc, claimed_name=CLAIMANT, **documents(), message="是我们的"
    )
    assert Notification.objects.filter(recipient=world.official, kind="dispute_filed").exists()
    with django_capture_on_commit_callbacks(execute=True):
        dispute_decide(dispute=dispute, actor=world.official, uphold=True)

    enterprise = world.enterprise
    enterprise.refresh_from_db()
    claim.refresh_from_db()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.UPHELD
    assert enterprise.name == CLAIMANT
    active = Membership.objects.filter(enterprise=enterprise, is_active=True)
    assert [(m.user_id, m.role) for m in active] == [(owner.pk, Role.ENTERPRISE_OWNER)]
    assert claim.status == ClaimStatus.REVOKED
    assert not Consent.objects.filter(enterprise=enterprise, revoked_at__isnull=True).exists()
    assert (enterprise.identity_status, enterprise.identity_source) == (
        IdentityStatus.CONFIRMED,
        "dispute",
    )
    notices = Notification.objects.filter(kind="dispute_bank_notice")
    assert set(notices.values_list("recipient_id", flat=True)) == {
        staff["consenting"].pk,
        staff["looking"].pk,
    }
    assert Notification.objects.filter(recipient=world.squatter, kind="dispute_lost").exists()
    verbs = list(
        AuditEvent.objects.filter(target_id=str(enterprise.pk))
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    for verb in (
        "enterprise.registered",
        "enterprise.identity_confirmed",
        "dispute.filed",
        "dispute.upheld",
        "member.removed_by_dispute",
        "dispute.record_transferred",
        "consent.revoked_by_dispute",
        "dispute.bank_notified",
    ):
        assert verb in verbs, verb
    assert AuditEvent.objects.filter(verb="claim.revoked", target_id=str(claim.pk)).exists()
    # the squatter no longer reaches the record
    client = Client()
    client.force_login(world.squatter)
    assert client.get(reverse("enterprise_detail", args=[enterprise.pk])).status_code == 404


def test_a_dismissed_dispute_needs_a_reason_and_changes_nothing_else(
    django_capture_on_commit_callbacks,
):
    world, claim, staff = _squatted_and_verified(django_capture_on_commit_callbacks)
    dispute = dispute_file(
        user=UserFactory(), uscc=world.uscc, claimed_name=CLAIMANT, **documents()
    )
    with pytest.raises(ApplicationError):
        dispute_decide(dispute=dispute, actor=world.official, uphold=False)
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.FILED
    dispute_decide(dispute=dispute, actor=world.official, uphold=False, reason_code="holder_proven")
    world.enterprise.refresh_from_db()
    claim.refresh_from_db()
    assert world.enterprise.name == REAL_NAME
    assert claim.status == ClaimStatus.VERIFIED
    assert Membership.objects.filter(
        enterprise=world.enterprise, user=world.squatter, is_active=True
    ).exists()
    assert not Notification.objects.filter(kind="dispute_bank_notice").exists()


def test_only_the_official_of_the_records_zone_decides(django_capture_on_commit_callbacks):
    world = squat()
    dispute = dispute_file(
        user=UserFactory(), uscc=world.uscc, claimed_name=CLAIMANT, **documents()
    )
    for outsider in (ZoneOfficialFactory(), world.squatter):
        with pytest.raises(ApplicationError) as refused:
            dispute_decide(dispute=dispute, actor=outsider, uphold=True)
        assert refused.value.status == 404
    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.FILED
    assert Membership.objects.filter(enterprise=world.enterprise, is_active=True).count() == 1


def test_a_taken_code_offers_a_dispute_and_the_page_files_one():
    world = squat()
    user = UserFactory()
    client = Client()
    client.force_login(user)
    page = client.post(reverse("onboarding_step", args=["code"]), {"uscc": world.uscc})
    assert reverse("onboarding_dispute") in page.content.decode()
    with translation.override("en"):
        response = client.post(
            reverse("onboarding_dispute"),
            {"uscc": world.uscc, "claimed_name": CLAIMANT, **documents()},
        )
    assert response.status_code == 302
    dispute = Dispute.objects.get(filed_by=user)
    assert (dispute.enterprise_id, dispute.documents.count()) == (world.enterprise.pk, 2)
    assert dispute.holder_name == world.enterprise.name
    official = Client()
    official.force_login(world.official)
    review = official.get(reverse("zone_dispute_review", args=[dispute.pk])).content.decode()
    assert CLAIMANT in review and world.enterprise.name in review
