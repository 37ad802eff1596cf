"""A lead's two clocks: first contact and decision, in working time. Claiming and
assigning stop neither; the contact move or a contact note stops first contact; an offer
or a decline stops the decision (and first contact, if none came before); a refused move
stops nothing. An offer straight from an assigned lead is allowed only where the product
version allows it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.models import AuditEvent, Notification
from ecosystem.core.worktime import add_working_days, add_working_hours
from ecosystem.financing import services as pipeline
from ecosystem.financing.models import Lead, LeadNote
from tests.worlds.lead_pipeline import S, World, applied_fast_loan

pytestmark = pytest.mark.django_db


def clocks(lead) -> tuple:
    lead.refresh_from_db()
    return (lead.first_contact_at, lead.decided_at)


def snapshot(lead) -> tuple:
    lead.refresh_from_db()
    return (
        lead.status,
        lead.assigned_to_id,
        lead.first_contact_at,
        lead.decided_at,
        AuditEvent.objects.count(),
        LeadNote.objects.count(),
    )


def offer(world, actor=None):
    return pipeline.offer_make(
        lead=world.lead,
        actor=actor or world.rm,
        amount=Decimal("800000"),
        rate=Decimal("4.1500"),
        term_months=12,
        valid_until=timezone.now() + timedelta(days=14),
    )


def test_due_times_are_stored_at_creation_in_working_time():
    world = applied_fast_loan()  # first contact 4 working hours, decision 1 working day
    lead = Lead.objects.get(pk=world.lead.pk)
    assert lead.first_contact_due_at == add_working_hours(lead.created_at, 4)
    assert lead.decision_due_at == add_working_days(lead.created_at, 1)
    assert lead.due_at == lead.first_contact_due_at
    assert (lead.first_contact_at, lead.decided_at) == (None, None)


def test_claiming_and_assigning_stop_no_clock():
    world = World()
    pipeline.lead_claim(lead=world.lead, actor=world.rm)
    assert clocks(world.lead) == (None, None)
    pipeline.lead_assign(lead=world.lead, actor=world.manager, assignee=world.other_rm)
    assert clocks(world.lead) == (None, None)

    other = World()
    pipeline.lead_assign(lead=other.lead, actor=other.manager, assignee=other.rm)
    assert clocks(other.lead) == (None, None)


def test_a_claimed_lead_past_due_is_still_escalated():
    world = World()
    pipeline.lead_claim(lead=world.lead, actor=world.rm)
    Lead.objects.filter(pk=world.lead.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assert pipeline.leads_escalate_overdue() == 1


def test_the_contact_move_stops_first_contact_only():
    world = World(status=S.ASSIGNED)
    pipeline.lead_transition(lead=world.lead, to=S.CONTACTED, actor=world.rm)
    contacted, decided = clocks(world.lead)
    assert contacted is not None and decided is None


def test_a_contact_note_stops_first_contact_and_a_plain_note_does_not():
    world = World(status=S.ASSIGNED)
    pipeline.lead_note_add(lead=world.lead, actor=world.rm, body="资料待补")
    assert clocks(world.lead) == (None, None)
    note = pipeline.lead_note_add(
        lead=world.lead, actor=world.rm, body="电话联系了财务", contact=True
    )
    first, decided = clocks(world.lead)
    assert note.kind == LeadNote.Kind.CONTACT
    assert first is not None and decided is None
    assert world.lead.status == S.ASSIGNED  # a note moves nothing
    # Only the first contact counts.
    pipeline.lead_note_add(lead=world.lead, actor=world.rm, body="again", contact=True)
    assert clocks(world.lead)[0] == first


def test_an_offer_stops_the_decision_and_a_later_one_does_not_move_it():
    world = World(status=S.CONTACTED)
    made = offer(world)
    first, decided = clocks(world.lead)
    assert decided is not None and first == decided  # no contact recorded before: now
    pipeline.offer_decline(offer=made, actor=world.member)
    offer(world)
    assert clocks(world.lead) == (first, decided)


@pytest.mark.parametrize("source", [S.NEW, S.ASSIGNED, S.CONTACTED])
def test_a_decline_stops_the_decision(source):
    world = World(status=source)
    pipeline.lead_transition(
        lead=world.lead, to=S.DECLINED, actor=world.manager, reason_code="outside_policy"
    )
    first, decided = clocks(world.lead)
    assert decided is not None and first == decided


@pytest.mark.parametrize(
    ("source", "to", "party"),
    [
        (S.NEW, S.CONTACTED, "rm"),  # not claimed yet
        (S.ASSIGNED, S.CONTACTED, "other_rm"),  # someone else's lead
        (S.ASSIGNED, S.DECLINED, "rm"),  # no reason code
    ],
)
def test_refused_moves_stop_no_clock(source, to, party):
    world = World(status=source)
    before = snapshot(world.lead)
    with pytest.raises(ApplicationError):
        pipeline.lead_transition(lead=world.lead, to=to, actor=world.actor(party))
    assert snapshot(world.lead) == before


def test_a_direct_offer_is_refused_where_the_version_does_not_allow_it():
    world = World(status=S.ASSIGNED)
    before = snapshot(world.lead)
    for language, words in (("en", "Contact the enterprise"), ("zh-hans", "请先联系企业")):
        with translation.override(language), pytest.raises(ConflictError) as excinfo:
            offer(world)
        assert excinfo.value.code == "contact_first"
        assert words in str(excinfo.value.message)
    assert snapshot(world.lead) == before
    assert not world.lead.offers.exists()


def test_an_offer_on_a_new_lead_is_refused_even_where_direct_offers_are_allowed():
    world = World(status=S.NEW, allows_direct_offer=True)
    before = snapshot(world.lead)
    with pytest.raises(ConflictError):
        offer(world, actor=world.manager)
    assert snapshot(world.lead) == before


def test_a_direct_offer_records_the_contact_with_the_offer():
    world = World(status=S.ASSIGNED, allows_direct_offer=True)
    made = offer(world)
    world.lead.refresh_from_db()
    assert world.lead.status == S.OFFER_MADE
    assert world.lead.first_contact_at == world.lead.decided_at
    assert world.lead.decided_at >= made.created_at - timedelta(seconds=1)
    # Someone else's lead is still refused.
    other = World(status=S.ASSIGNED, allows_direct_offer=True)
    before = snapshot(other.lead)
    with pytest.raises(ConflictError):
        offer(other, actor=other.other_rm)
    assert snapshot(other.lead) == before


def test_a_lead_past_its_decision_time_is_escalated_once():
    world = World(status=S.ASSIGNED)
    pipeline.lead_transition(lead=world.lead, to=S.CONTACTED, actor=world.rm)
    now = timezone.now()
    Lead.objects.filter(pk=world.lead.pk).update(
        due_at=now - timedelta(hours=5), decision_due_at=now - timedelta(minutes=1)
    )
    assert pipeline.leads_escalate_overdue(now=now) == 1
    assert pipeline.leads_escalate_overdue(now=now + timedelta(minutes=5)) == 0
    lead = Lead.objects.get(pk=world.lead.pk)
    assert lead.decision_escalated_at == now
    assert lead.escalated_at is None  # contacted in time: the first clock stopped
    assert lead.notes.filter(kind=LeadNote.Kind.ESCALATION).count() == 1
    assert Notification.objects.filter(kind="lead_overdue", recipient=world.manager).count() == 1


def test_a_decided_lead_is_not_escalated_for_its_decision():
    world = World(status=S.CONTACTED)
    offer(world)
    now = timezone.now()
    Lead.objects.filter(pk=world.lead.pk).update(decision_due_at=now - timedelta(minutes=1))
    assert pipeline.leads_escalate_overdue(now=now) == 0


def test_both_clocks_overdue_escalate_once_each():
    world = World()
    now = timezone.now()
    Lead.objects.filter(pk=world.lead.pk).update(
        due_at=now - timedelta(hours=1), decision_due_at=now - timedelta(minutes=1)
    )
    assert pipeline.leads_escalate_overdue(now=now) == 2
    assert pipeline.leads_escalate_overdue(now=now) == 0
    lead = Lead.objects.get(pk=world.lead.pk)
    assert lead.escalated_at == lead.decision_escalated_at == now


def test_existing_leads_get_their_clocks_from_the_timeline():
    """Migration 0008: a claimed-only lead had ``first_response_at`` set by the claim; the
    backfill recomputes the first contact and the decision from the timeline."""
    import importlib

    from django.apps import apps as django_apps

    backfill = importlib.import_module(
        "ecosystem.financing.migrations.0008_two_clocks"
    ).backfill_lead_clocks
    claimed, offered = World(), World(status=S.CONTACTED)
    pipeline.lead_claim(lead=claimed.lead, actor=claimed.rm)
    offer(offered)
    offer_note = offered.lead.notes.get(to_status=S.OFFER_MADE)
    Lead.objects.update(first_contact_at=timezone.now(), decided_at=None)
    backfill(django_apps, None)
    assert clocks(claimed.lead) == (None, None)
    assert clocks(offered.lead) == (offer_note.created_at, offer_note.created_at)
    assert offered.lead.first_contact_due_at == offered.lead.due_at
