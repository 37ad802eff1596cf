"""Nothing waits for ever: offers past their date and leads without progress expire,
campaign invitations past their date are marked expired, and a new lead is announced to
the branch. Time is passed in explicitly (``now=``), as the beat tasks' clock."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ecosystem.core.errors import ConflictError
from ecosystem.core.models import AuditEvent, Notification
from ecosystem.financing import services as pipeline
from ecosystem.financing.models import Campaign, CampaignInvitation, Lead, LeadNote, Offer
from tests.factories import BankManagerFactory, BankStaffFactory, BranchFactory
from tests.worlds.lead_pipeline import World, applied_fast_loan

pytestmark = pytest.mark.django_db
S = Lead.Status


def offered(world: World, *, valid_for=timedelta(days=3)) -> Offer:
    pipeline.lead_claim(lead=world.lead, actor=world.rm)
    pipeline.lead_transition(lead=world.lead, to=S.CONTACTED, actor=world.rm)
    return pipeline.offer_make(
        lead=world.lead,
        actor=world.rm,
        amount=Decimal("500000"),
        rate=Decimal("4.2"),
        term_months=12,
        valid_until=timezone.now() + valid_for,
    )


def test_offer_past_its_date_expires_once_and_the_lead_can_get_a_new_offer():
    world = World()
    offer = offered(world)
    Notification.objects.all().delete()

    assert pipeline.offers_expire(now=offer.valid_until - timedelta(seconds=1)) == 0
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.MADE

    later = offer.valid_until + timedelta(minutes=1)
    assert pipeline.offers_expire(now=later) == 1
    assert pipeline.offers_expire(now=later) == 0  # safe to run twice
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.EXPIRED
    lead = Lead.objects.get(pk=world.lead.pk)
    assert lead.status == S.CONTACTED
    assert lead.notes.filter(to_status=S.CONTACTED, author__isnull=True).count() == 1
    assert AuditEvent.objects.filter(verb="lead.contacted", actor__isnull=True).count() == 1
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        world.member.pk,
        world.rm.pk,
    }
    with pytest.raises(ConflictError):
        pipeline.offer_accept(offer=Offer.objects.get(pk=offer.pk), actor=world.member)
    # The bank makes a new offer on the same lead.
    again = pipeline.offer_make(
        lead=lead,
        actor=world.rm,
        amount=Decimal("400000"),
        rate=Decimal("4.2"),
        term_months=12,
        valid_until=timezone.now() + timedelta(days=3),
    )
    assert Lead.objects.get(pk=world.lead.pk).status == S.OFFER_MADE
    assert again.status == Offer.Status.MADE


def test_answered_offer_does_not_expire():
    world = World()
    offer = offered(world)
    pipeline.offer_accept(offer=offer, actor=world.member)
    assert pipeline.offers_expire(now=offer.valid_until + timedelta(days=1)) == 0
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.ACCEPTED
    assert Lead.objects.get(pk=world.lead.pk).status == S.ACCEPTED


def test_lead_without_progress_expires_after_the_stale_days_and_both_sides_hear_it(settings):
    settings.LEAD_STALE_DAYS = 30
    world = World()
    pipeline.lead_claim(lead=world.lead, actor=world.rm)
    touched = Lead.objects.get(pk=world.lead.pk).updated_at
    Notification.objects.all().delete()

    assert pipeline.leads_expire_stale(now=touched + timedelta(days=29, hours=23)) == 0
    assert Lead.objects.get(pk=world.lead.pk).status == S.ASSIGNED

    late = touched + timedelta(days=30, minutes=1)
    assert pipeline.leads_expire_stale(now=late) == 1
    assert pipeline.leads_expire_stale(now=late) == 0
    lead = Lead.objects.get(pk=world.lead.pk)
    assert lead.status == S.EXPIRED
    assert LeadNote.objects.filter(lead=lead, to_status=S.EXPIRED).count() == 1
    kinds = dict(Notification.objects.values_list("recipient_id", "kind"))
    assert kinds == {world.member.pk: "lead_status", world.rm.pk: "lead_expired"}


def test_lead_with_an_open_offer_waits_for_the_offer_not_the_stale_clock():
    world = World()
    offer = offered(world, valid_for=timedelta(days=90))
    assert pipeline.leads_expire_stale(now=timezone.now() + timedelta(days=45), days=30) == 0
    assert Lead.objects.get(pk=world.lead.pk).status == S.OFFER_MADE
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.MADE


def test_campaign_invitations_past_their_date_are_marked_expired():
    world = World()
    campaign = Campaign.objects.create(bank=world.bank, product_version=world.version)
    now = timezone.now()
    past = CampaignInvitation.objects.create(
        campaign=campaign,
        enterprise=world.enterprise,
        indicative_limit=Decimal("1"),
        expires_at=now - timedelta(minutes=1),
    )
    other = World()
    future = CampaignInvitation.objects.create(
        campaign=campaign,
        enterprise=other.enterprise,
        indicative_limit=Decimal("1"),
        expires_at=now + timedelta(days=1),
    )
    assert pipeline.campaign_invitations_expire(now=now) == 1
    assert CampaignInvitation.objects.get(pk=past.pk).status == CampaignInvitation.Status.EXPIRED
    assert CampaignInvitation.objects.get(pk=future.pk).status == CampaignInvitation.Status.SENT


def test_expiry_tasks_run_the_services():
    from ecosystem.financing.tasks import expire_offers, expire_stale_leads

    world = World()
    offer = offered(world)
    Offer.objects.filter(pk=offer.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    assert expire_offers.delay().get() == 1
    Lead.objects.filter(pk=world.lead.pk).update(updated_at=timezone.now() - timedelta(days=400))
    assert expire_stale_leads.delay().get() == 1


def test_a_new_lead_is_announced_to_the_branch_s_relationship_managers():
    world = applied_fast_loan()
    new = Notification.objects.filter(kind="lead_new")
    assert sorted(new.values_list("recipient_id", flat=True)) == sorted(
        [world.rm.pk, world.other_rm.pk]
    )
    assert world.enterprise.name in new.first().title


def test_a_new_lead_of_a_branch_without_staff_goes_to_the_bank_s_managers():
    from ecosystem.financing.models import Match
    from ecosystem.financing.services import match_apply

    world = World()
    world.lead.delete()
    for membership in world.rm.memberships.all() | world.other_rm.memberships.all():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
    BankStaffFactory(branch=BranchFactory(bank=world.bank))  # another branch: not told
    second = BankManagerFactory(bank=world.bank)
    match = Match.objects.create(
        enterprise=world.enterprise,
        product=world.version.product,
        product_version=world.version,
        score=90,
        indicative_limit=Decimal("500000"),
        computed_at=timezone.now(),
    )
    match_apply(enterprise=world.enterprise, actor=world.member, match=match)
    new = Notification.objects.filter(kind="lead_new")
    assert sorted(new.values_list("recipient_id", flat=True)) == sorted(
        [world.manager.pk, second.pk]
    )
