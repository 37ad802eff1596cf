"""Consent is per bank and purpose, versioned, and revocation hides the data at once."""

import pytest

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import services
from ecosystem.enterprises.consent_texts import CURRENT_VERSION
from ecosystem.enterprises.models import AccessLogEntry, Consent
from ecosystem.enterprises.permissions import bank_viewing
from ecosystem.enterprises.selectors import claims_visible_to, enterprises_visible_to
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    EnterpriseMemberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return EnterpriseMemberFactory()


@pytest.fixture
def enterprise(member):
    return member.memberships.get().enterprise


@pytest.fixture
def branch(enterprise):
    """A branch serving the enterprise's zone: its RMs see the firm once it consents."""
    return BranchFactory(zones=[enterprise.zone])


def test_a_bank_sees_nothing_without_consent(enterprise, branch):
    rm = BankStaffFactory(branch=branch)
    assert not enterprises_visible_to(user=rm).filter(pk=enterprise.pk).exists()
    assert bank_viewing(rm, enterprise) is None


def test_granting_shows_the_enterprise_to_that_bank_only(enterprise, member, branch):
    consent = services.consent_grant(
        enterprise=enterprise, actor=member, bank=branch.bank, purpose="financing"
    )
    assert consent.text_version == CURRENT_VERSION
    rm = BankStaffFactory(branch=branch)
    manager = BankManagerFactory(bank=branch.bank)
    other_bank = BankStaffFactory()
    assert enterprises_visible_to(user=rm).filter(pk=enterprise.pk).exists()
    assert enterprises_visible_to(user=manager).filter(pk=enterprise.pk).exists()
    assert not enterprises_visible_to(user=other_bank).filter(pk=enterprise.pk).exists()
    assert bank_viewing(rm, enterprise) == branch.bank
    # granting twice keeps one active consent
    services.consent_grant(
        enterprise=enterprise, actor=member, bank=branch.bank, purpose="financing"
    )
    assert Consent.objects.filter(revoked_at__isnull=True).count() == 1


def test_revoking_hides_the_enterprise_at_once(enterprise, member, branch):
    consent = services.consent_grant(
        enterprise=enterprise, actor=member, bank=branch.bank, purpose="financing"
    )
    rm = BankStaffFactory(branch=branch)
    assert claims_visible_to(user=rm).model  # queryset built before revocation
    services.consent_revoke(consent=consent, actor=member)
    assert not enterprises_visible_to(user=rm).filter(pk=enterprise.pk).exists()
    assert bank_viewing(rm, enterprise) is None
    consent.refresh_from_db()
    assert consent.revoked_at is not None and consent.revoked_by == member


def test_only_members_grant_or_revoke(enterprise, member, branch):
    rm = BankStaffFactory(branch=branch)
    with pytest.raises(ApplicationError):
        services.consent_grant(
            enterprise=enterprise, actor=rm, bank=branch.bank, purpose="financing"
        )
    assert not Consent.objects.exists()
    consent = services.consent_grant(
        enterprise=enterprise, actor=member, bank=branch.bank, purpose="financing"
    )
    with pytest.raises(ApplicationError):
        services.consent_revoke(consent=consent, actor=rm)
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_access_log_records_who_from_which_bank(enterprise, branch):
    rm = BankStaffFactory(branch=branch)
    services.access_log_record(
        enterprise=enterprise, viewer=rm, bank=branch.bank, section="profile"
    )
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.bank, entry.section) == (rm, branch.bank, "profile")
