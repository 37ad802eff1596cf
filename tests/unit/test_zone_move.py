"""A firm moving to another zone after its claims and figures were submitted: the open
reviews move to the new zone's queue, the old zone can no longer decide them, and both
zones' officials are told (each in their own language)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from ecosystem.core.models import AuditEvent, Notification
from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.review.queue import claims_awaiting_review, years_awaiting_review
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import ZoneFactory, ZoneOfficialFactory
from tests.worlds.zone import build_world, client_of

pytestmark = pytest.mark.django_db


def move(world, new_zone):
    enterprise = world.claim.enterprise
    enterprise.refresh_from_db()
    return es.enterprise_update(
        enterprise=enterprise,
        actor=world.member,
        expected_version=enterprise.version,
        zone=new_zone,
    )


def test_open_reviews_move_to_the_new_zone_and_both_zones_are_told():
    world = build_world()
    new_zone = ZoneFactory()
    newcomer = ZoneOfficialFactory(zone=new_zone)
    assert list(claims_awaiting_review(user=world.official)) == [world.claim]
    assert not claims_awaiting_review(user=newcomer).exists()

    move(world, new_zone)

    # The new zone's queue holds the claim and the figures; the old zone's no longer.
    assert list(claims_awaiting_review(user=newcomer)) == [world.claim]
    assert list(years_awaiting_review(user=newcomer)) == [world.year]
    assert not claims_awaiting_review(user=world.official).exists()
    assert not years_awaiting_review(user=world.official).exists()

    told_new = Notification.objects.get(recipient=newcomer, kind="zone_move")
    told_old = {n.recipient for n in Notification.objects.filter(kind="zone_move")} - {newcomer}
    assert told_old == {world.official, world.colleague}
    assert world.claim.enterprise.uscc in told_new.url
    with translation.override("en"):
        assert "2 reviews to do" in told_new.shown_title
        old_title = Notification.objects.get(recipient=world.official).shown_title
        assert "2 open reviews went with it" in old_title
    with translation.override("zh-hans"):
        assert "2" in told_new.shown_title and "reviews" not in told_new.shown_title
    event = AuditEvent.objects.get(verb="enterprise.reviews_moved")
    assert event.after["claims"] == [world.claim.pk]
    assert event.after["financial_years"] == [world.year.pk]


def test_the_new_zone_decides_the_moved_claim_and_the_old_zone_cannot():
    world = build_world()
    new_zone = ZoneFactory()
    newcomer = ZoneOfficialFactory(zone=new_zone)
    move(world, new_zone)
    review = reverse("zone_claim_review", args=[world.claim.pk])
    assert client_of(world.official).get(review).status_code == 404
    assert client_of(newcomer).get(review).status_code == 200
    claim = QualificationClaim.objects.get(pk=world.claim.pk)
    es.claim_transition(claim=claim, actor=newcomer, to=ClaimStatus.UNDER_REVIEW)
    assert QualificationClaim.objects.get(pk=world.claim.pk).status == ClaimStatus.UNDER_REVIEW


def test_a_move_without_open_reviews_tells_nobody():
    world = build_world()
    QualificationClaim.objects.filter(pk=world.claim.pk).update(status=ClaimStatus.VERIFIED)
    world.year.verification_status = "verified"
    world.year.save(update_fields=["verification_status"])
    move(world, ZoneFactory())
    assert not Notification.objects.filter(kind="zone_move").exists()
    assert not AuditEvent.objects.filter(verb="enterprise.reviews_moved").exists()
