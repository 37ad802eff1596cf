"""The registrant's identity (issue #20): until the zone (or a cooperating bank) confirms
that whoever registered a firm acts for it, no claim of it is verified, and every page
says so; the list is compared on the name and certificate number, not just the code."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.models import AuditEvent, Notification
from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import Enterprise, IdentityCheck, NameFlag
from ecosystem.enterprises.services.identity import (
    identity_bank_confirm,
    identity_decide,
    identity_submit,
)
from ecosystem.enterprises.workflow import ClaimStatus, IdentityStatus
from ecosystem.registries.models import RegistryEntry
from tests.factories import (
    BankFactory,
    BankManagerFactory,
    ConsentFactory,
    UserFactory,
    ZoneOfficialFactory,
    make_uscc,
)
from tests.worlds.identity import REAL_NAME, SQUAT_NAME, documents, squat, submit_claim

pytestmark = pytest.mark.django_db


def _confirm(world, capture):
    identity_submit(enterprise=world.enterprise, actor=world.squatter, **documents())
    with capture(execute=True):
        identity_decide(enterprise=world.enterprise, actor=world.official, confirm=True)


def test_a_new_registration_starts_unconfirmed():
    world = squat()
    assert world.enterprise.identity_status == IdentityStatus.UNCONFIRMED
    assert not IdentityCheck.objects.filter(enterprise=world.enterprise).exists()


def test_a_squatters_claim_is_not_verified_from_the_list_nor_by_the_zone(
    django_capture_on_commit_callbacks,
):
    world = squat(name=REAL_NAME)  # even the listed name: only the identity is missing
    with django_capture_on_commit_callbacks(execute=True):
        claim = submit_claim(world.enterprise, world.squatter, world.program)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.registry_entry is None
    with pytest.raises(ConflictError) as refused:
        es.claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=world.official)
    assert refused.value.code == "identity_unconfirmed"
    claim.refresh_from_db()
    assert (claim.status, claim.decided_at) == (ClaimStatus.SUBMITTED, None)


def test_confirming_the_identity_verifies_the_waiting_claims_the_list_proves(
    django_capture_on_commit_callbacks,
):
    world = squat(name=REAL_NAME)
    with django_capture_on_commit_callbacks(execute=True):
        claim = submit_claim(world.enterprise, world.squatter, world.program)
    _confirm(world, django_capture_on_commit_callbacks)
    claim.refresh_from_db()
    world.enterprise.refresh_from_db()
    assert world.enterprise.identity_status == IdentityStatus.CONFIRMED
    assert world.enterprise.identity_source == "zone"
    assert claim.status == ClaimStatus.VERIFIED
    assert claim.registry_entry_id == world.entry.pk


def test_after_confirmation_a_name_mismatch_lands_in_the_zone_queue_with_both_names(
    django_capture_on_commit_callbacks,
):
    world = squat(name=SQUAT_NAME)
    with django_capture_on_commit_callbacks(execute=True):
        claim = submit_claim(world.enterprise, world.squatter, world.program)
    _confirm(world, django_capture_on_commit_callbacks)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.list_mismatch["name"] == {"firm": SQUAT_NAME, "list": REAL_NAME}
    assert Notification.objects.filter(recipient=world.official, kind="claim_list_mismatch")
    client = Client()
    client.force_login(world.official)
    page = client.get(reverse("zone_identity_queue")).content.decode()
    review = client.get(reverse("zone_claim_review", args=[claim.pk])).content.decode()
    queue = page.split('data-testid="mismatch-queue"')[1]
    assert SQUAT_NAME in queue and REAL_NAME in queue
    assert 'data-testid="mismatch-name"' in review and REAL_NAME in review


def test_a_certificate_number_the_list_disagrees_with_is_not_verified(
    django_capture_on_commit_callbacks,
):
    world = squat(name=REAL_NAME)
    with django_capture_on_commit_callbacks(execute=True):
        claim = submit_claim(world.enterprise, world.squatter, world.program, "GR-FAKE-1")
    _confirm(world, django_capture_on_commit_callbacks)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.list_mismatch["certificate_number"]["list"] == world.entry.certificate_number
    assert "name" not in claim.list_mismatch


def test_a_refusal_needs_a_reason_and_a_refused_one_changes_nothing_else(
    django_capture_on_commit_callbacks,
):
    world = squat(name=REAL_NAME)
    with django_capture_on_commit_callbacks(execute=True):
        claim = submit_claim(world.enterprise, world.squatter, world.program)
    identity_submit(enterprise=world.enterprise, actor=world.squatter, **documents())
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError):
        identity_decide(enterprise=world.enterprise, actor=world.official, confirm=False)
    assert AuditEvent.objects.count() == events
    world.enterprise.refresh_from_db()
    assert world.enterprise.identity_status == IdentityStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        identity_decide(
            enterprise=world.enterprise,
            actor=world.official,
            confirm=False,
            reason_code="seal_missing",
        )
    world.enterprise.refresh_from_db()
    claim.refresh_from_db()
    assert world.enterprise.identity_status == IdentityStatus.REFUSED
    assert claim.status == ClaimStatus.SUBMITTED
    client = Client()
    client.force_login(world.squatter)
    page = client.get(
        reverse("enterprise_identity", args=[world.enterprise.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = page.content.decode()
    assert "no company seal on the letter of authorisation" in text
    assert "seal_missing" not in text
    assert 'data-testid="identity-form"' in text  # may submit again


def test_another_zones_official_may_not_decide():
    world = squat()
    identity_submit(enterprise=world.enterprise, actor=world.squatter, **documents())
    with pytest.raises(ApplicationError) as refused:
        identity_decide(enterprise=world.enterprise, actor=ZoneOfficialFactory(), confirm=True)
    assert refused.value.status == 404
    world.enterprise.refresh_from_db()
    assert world.enterprise.identity_status == IdentityStatus.SUBMITTED


def test_a_consented_bank_confirms_from_its_kyc_and_is_the_recorded_source(
    django_capture_on_commit_callbacks,
):
    world = squat(name=REAL_NAME)
    bank = BankFactory()
    manager = BankManagerFactory(bank=bank)
    stranger = BankManagerFactory()
    with pytest.raises(ApplicationError):
        identity_bank_confirm(enterprise=world.enterprise, actor=manager)  # no consent yet
    ConsentFactory(enterprise=world.enterprise, bank=bank)
    with pytest.raises(ApplicationError):
        identity_bank_confirm(enterprise=world.enterprise, actor=stranger)
    with django_capture_on_commit_callbacks(execute=True):
        claim = submit_claim(world.enterprise, world.squatter, world.program)
        check = identity_bank_confirm(enterprise=world.enterprise, actor=manager)
    world.enterprise.refresh_from_db()
    claim.refresh_from_db()
    assert (check.source, check.bank_id) == ("bank", bank.pk)
    assert world.enterprise.identity_source == "bank"
    assert claim.status == ClaimStatus.VERIFIED


def test_firm_pages_bank_view_and_api_say_identity_unconfirmed():
    world = squat()
    bank = BankFactory()
    manager = BankManagerFactory(bank=bank)
    ConsentFactory(enterprise=world.enterprise, bank=bank)
    detail = reverse("enterprise_detail", args=[world.enterprise.pk])
    for user in (world.squatter, manager, world.official):
        client = Client()
        client.force_login(user)
        text = client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'data-identity="unconfirmed"' in text and "identity unconfirmed" in text
        assert "身份未确认" in client.get(detail).content.decode()  # the default language
    client = Client()
    client.force_login(manager)
    api = client.get(f"/api/v1/enterprises/{world.enterprise.pk}/").json()
    assert api["identity_status"] == "unconfirmed"
    Enterprise.objects.filter(pk=world.enterprise.pk).update(identity_status="confirmed")
    text = client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "identity unconfirmed" not in text and 'data-identity="confirmed"' in text


def test_a_name_registered_under_another_code_is_flagged_to_the_zone():
    world = squat(name=REAL_NAME)
    other = es.enterprise_register(
        user=UserFactory(), uscc=make_uscc(77_500), name=f" {REAL_NAME}", zone=world.zone
    ).enterprise
    flag = NameFlag.objects.get(enterprise=other)
    assert flag.other_id == world.enterprise.pk
    assert Notification.objects.filter(recipient=world.official, kind="name_flag").exists()
    client = Client()
    client.force_login(world.official)
    page = client.get(reverse("zone_identity_queue")).content.decode()
    assert other.uscc in page.split('data-testid="name-flags"')[1]
    client.post(reverse("zone_name_flag_clear", args=[flag.pk]))
    flag.refresh_from_db()
    assert flag.cleared_by == world.official


def test_a_different_name_raises_no_flag():
    world = squat(name=REAL_NAME)
    es.enterprise_register(
        user=UserFactory(), uscc=make_uscc(77_501), name="另一家公司", zone=world.zone
    )
    assert not NameFlag.objects.exists()
    assert world.enterprise.name_flags.count() == 0


def test_registry_entries_by_id_are_404_to_a_firm_but_its_own(django_capture_on_commit_callbacks):
    world = squat(name=REAL_NAME)
    own = world.entry
    others = [
        RegistryEntry.objects.create(
            program=world.program, batch="2025年第一批", uscc=make_uscc(n), name=f"名单企业{n}"
        )
        for n in range(77_600, 77_605)
    ]
    client = Client()
    client.force_login(world.squatter)
    assert client.get(f"/api/v1/registry-entries/{own.pk}/").status_code == 200
    for entry in others:
        assert client.get(f"/api/v1/registry-entries/{entry.pk}/").status_code == 404
