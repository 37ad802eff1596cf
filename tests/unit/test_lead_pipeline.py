"""The lead pipeline: the transition table, declines with reasons, offers, escalation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.models import AuditEvent, Notification
from ecosystem.core.worktime import add_working_days, add_working_hours
from ecosystem.financing import services as pipeline
from ecosystem.financing import workflow
from ecosystem.financing.models import Lead, LeadNote, Offer
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    EnterpriseMemberFactory,
)
from tests.worlds.lead_pipeline import S, World, applied_fast_loan

pytestmark = pytest.mark.django_db


def _snapshot(lead):
    lead.refresh_from_db()
    return (lead.status, lead.assigned_to_id, AuditEvent.objects.count(), LeadNote.objects.count())


@pytest.mark.parametrize(
    ("source", "to", "party"),
    [
        (S.ASSIGNED, S.CONTACTED, "rm"),
        (S.ASSIGNED, S.CONTACTED, "manager"),
        (S.NEW, S.WITHDRAWN, "enterprise"),
        (S.OFFER_MADE, S.WITHDRAWN, "enterprise"),
        (S.CONTACTED, S.EXPIRED, "system"),
    ],
)
def test_allowed_moves_change_status_and_write_audit_and_timeline(source, to, party):
    world = World(status=source)
    audits = AuditEvent.objects.count()
    lead = pipeline.lead_transition(lead=world.lead, to=to, actor=world.actor(party), note="ok")
    lead.refresh_from_db()
    assert lead.status == to
    assert AuditEvent.objects.count() == audits + 1
    entry = lead.notes.get(kind=LeadNote.Kind.STATUS)
    assert (entry.from_status, entry.to_status, entry.body) == (source, to, "ok")


@pytest.mark.parametrize(
    ("source", "to", "party", "code"),
    [
        (S.NEW, S.CONTACTED, "rm", "transition_refused"),
        (S.ASSIGNED, S.CONTACTED, "enterprise", "transition_refused"),
        (S.ASSIGNED, S.CONTACTED, "other_rm", "not_assignee"),
        (S.NEW, S.DISBURSED, "manager", "transition_refused"),
        (S.DECLINED, S.CONTACTED, "manager", "transition_refused"),
        (S.DISBURSED, S.WITHDRAWN, "enterprise", "transition_refused"),
        (S.CONTACTED, S.WITHDRAWN, "system", "transition_refused"),
        (S.CONTACTED, S.EXPIRED, "manager", "transition_refused"),
        (S.CONTACTED, S.OFFER_MADE, "rm", "use_dedicated_service"),
        (S.NEW, S.ASSIGNED, "manager", "use_dedicated_service"),
    ],
)
def test_refused_moves_change_nothing(source, to, party, code):
    world = World(status=source)
    before = _snapshot(world.lead)
    with pytest.raises(ApplicationError) as excinfo:
        pipeline.lead_transition(lead=world.lead, to=to, actor=world.actor(party))
    assert excinfo.value.code == code
    assert _snapshot(world.lead) == before


def test_outsiders_get_not_found_and_change_nothing():
    world = World(status=S.ASSIGNED)
    stranger_rm = BankStaffFactory()  # another bank's branch
    before = _snapshot(world.lead)
    for outsider in (stranger_rm, EnterpriseMemberFactory(), BankManagerFactory()):
        with pytest.raises(ApplicationError) as excinfo:
            pipeline.lead_transition(lead=world.lead, to=S.CONTACTED, actor=outsider)
        assert excinfo.value.status == 404
    assert _snapshot(world.lead) == before


def test_closed_states_have_no_way_out():
    for source, _to in workflow.TRANSITIONS:
        assert source not in workflow.CLOSED


def test_every_decline_reason_has_plain_words_for_the_enterprise():
    for code in workflow.DeclineReason.values:
        assert workflow.reason_text(code)


def test_decline_requires_reason_code_and_enterprise_sees_reason_text():
    # The reason text is compared in one language, whatever an earlier test left active.
    with translation.override("zh-hans"):
        world = World(status=S.CONTACTED)
        before = _snapshot(world.lead)
        for bad in (None, "", "not-a-code"):
            with pytest.raises(ApplicationError) as excinfo:
                pipeline.lead_transition(
                    lead=world.lead, to=S.DECLINED, actor=world.rm, reason_code=bad
                )
            assert excinfo.value.code in ("reason_required", "bad_reason")
        assert _snapshot(world.lead) == before
        assert world.lead.reason_text == ""

        pipeline.lead_transition(
            lead=world.lead,
            to=S.DECLINED,
            actor=world.rm,
            reason_code=workflow.DeclineReason.EXISTING_DEBT,
        )
        lead = Lead.objects.get(pk=world.lead.pk)
        expected = str(workflow.DECLINE_REASON_TEXTS[workflow.DeclineReason.EXISTING_DEBT])
        assert lead.status == S.DECLINED
        assert lead.reason_text == expected
        notification = Notification.objects.get(recipient=world.member, kind="lead_status")
        assert notification.body == expected


def _offer(world, **changes):
    terms = {
        "amount": Decimal("800000"),
        "rate": Decimal("4.1500"),
        "term_months": 12,
        "valid_until": timezone.now() + timedelta(days=14),
        "conditions": "季度付息",
        **changes,
    }
    return pipeline.offer_make(lead=world.lead, actor=world.rm, **terms)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"amount": Decimal("5000001"), "override_reason": "战略客户"}, "amount_out_of_range"),
        ({"amount": Decimal("99999")}, "amount_out_of_range"),
        ({"amount": Decimal("1200000")}, "override_reason_required"),
        ({"amount": Decimal("1200000"), "override_reason": "   "}, "override_reason_required"),
        ({"rate": Decimal("6.5001")}, "rate_out_of_range"),
        ({"term_months": 48}, "term_out_of_range"),
        ({"valid_until": timezone.now() - timedelta(minutes=1)}, "past_valid"),
    ],
)
def test_offer_outside_the_product_terms_is_refused(changes, code):
    world = World(status=S.CONTACTED)
    before = _snapshot(world.lead)
    with pytest.raises(ApplicationError) as excinfo:
        _offer(world, **changes)
    assert excinfo.value.code == code
    assert _snapshot(world.lead) == before
    assert not Offer.objects.exists()


def test_offer_above_indicative_limit_with_override_reason_is_made():
    world = World(status=S.CONTACTED)
    offer = _offer(world, amount=Decimal("1200000"), override_reason="有核心专利质押")
    world.lead.refresh_from_db()
    assert world.lead.status == S.OFFER_MADE
    assert offer.override_reason == "有核心专利质押"
    assert offer.status == Offer.Status.MADE


def test_accepting_an_expired_offer_is_refused():
    world = World(status=S.CONTACTED)
    offer = _offer(world)
    Offer.objects.filter(pk=offer.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    before = _snapshot(world.lead)
    with pytest.raises(ConflictError) as excinfo:
        pipeline.offer_accept(offer=offer, actor=world.member)
    assert excinfo.value.code == "offer_expired"
    assert _snapshot(world.lead) == before
    offer.refresh_from_db()
    assert offer.status == Offer.Status.MADE


def test_bank_staff_cannot_accept_the_offer():
    world = World(status=S.CONTACTED)
    offer = _offer(world)
    with pytest.raises(ApplicationError) as excinfo:
        pipeline.offer_accept(offer=offer, actor=world.rm)
    assert excinfo.value.status == 404


def test_declined_offer_lets_the_bank_offer_again():
    world = World(status=S.CONTACTED)
    first = _offer(world)
    pipeline.offer_decline(offer=first, actor=world.member)
    world.lead.refresh_from_db()
    assert world.lead.status == S.CONTACTED
    second = _offer(world, amount=Decimal("600000"))
    assert second.status == Offer.Status.MADE


def test_full_pipeline_from_claim_to_disbursement():
    world = World()
    pipeline.lead_claim(lead=world.lead, actor=world.rm)
    pipeline.lead_transition(lead=world.lead, to=S.CONTACTED, actor=world.rm)
    offer = _offer(world)
    pipeline.offer_accept(offer=offer, actor=world.member)
    with pytest.raises(ApplicationError):
        pipeline.disbursement_record(
            lead=world.lead,
            actor=world.rm,
            amount=offer.amount + 1,
            disbursed_on=timezone.localdate(),
        )
    disbursement = pipeline.disbursement_record(
        lead=world.lead, actor=world.rm, amount=offer.amount, disbursed_on=timezone.localdate()
    )
    lead = Lead.objects.get(pk=world.lead.pk)
    assert (lead.status, lead.assigned_to, disbursement.offer) == (S.DISBURSED, world.rm, offer)
    assert lead.first_contact_at is not None
    assert list(lead.notes.values_list("to_status", flat=True)) == [
        S.ASSIGNED,
        S.CONTACTED,
        S.OFFER_MADE,
        S.ACCEPTED,
        S.DISBURSED,
    ]


def test_a_claimed_lead_cannot_be_claimed_again_and_other_branches_cannot_claim():
    world = World()
    pipeline.lead_claim(lead=world.lead, actor=world.rm)
    before = _snapshot(world.lead)
    with pytest.raises(ConflictError) as excinfo:
        pipeline.lead_claim(lead=world.lead, actor=world.other_rm)
    assert excinfo.value.code == "already_claimed"
    with pytest.raises(ApplicationError) as excinfo:
        pipeline.lead_claim(lead=world.lead, actor=BankStaffFactory())
    assert excinfo.value.status == 404
    assert _snapshot(world.lead) == before


def test_manager_assigns_only_to_a_relationship_manager_of_the_branch():
    world = World()
    with pytest.raises(ApplicationError) as excinfo:
        pipeline.lead_assign(lead=world.lead, actor=world.manager, assignee=BankStaffFactory())
    assert excinfo.value.code == "bad_assignee"
    with pytest.raises(ApplicationError) as excinfo:
        pipeline.lead_assign(lead=world.lead, actor=world.rm, assignee=world.other_rm)
    assert excinfo.value.status == 404
    pipeline.lead_assign(lead=world.lead, actor=world.manager, assignee=world.other_rm)
    world.lead.refresh_from_db()
    assert (world.lead.status, world.lead.assigned_to) == (S.ASSIGNED, world.other_rm)


def test_new_lead_is_due_after_the_product_working_hours():
    world = applied_fast_loan()
    lead = world.lead
    lead.refresh_from_db()
    assert lead.due_at == lead.first_contact_due_at == add_working_hours(lead.created_at, 4)
    assert lead.decision_due_at == add_working_days(lead.created_at, 1)


def test_fast_loan_lead_untouched_past_its_due_time_is_escalated_exactly_once():
    world = applied_fast_loan()
    second_manager = BankManagerFactory(bank=world.bank)
    BankManagerFactory()  # another bank's manager hears nothing
    due = Lead.objects.get(pk=world.lead.pk).due_at

    assert pipeline.leads_escalate_overdue(now=due - timedelta(minutes=1)) == 0
    assert Lead.objects.get(pk=world.lead.pk).escalated_at is None

    late = due + timedelta(minutes=1)
    assert pipeline.leads_escalate_overdue(now=late) == 1
    assert pipeline.leads_escalate_overdue(now=late + timedelta(minutes=5)) == 0

    lead = Lead.objects.get(pk=world.lead.pk)
    assert lead.escalated_at == late
    overdue = Notification.objects.filter(kind="lead_overdue")
    assert sorted(overdue.values_list("recipient_id", flat=True)) == sorted(
        [world.manager.pk, second_manager.pk]
    )
    assert lead.notes.filter(kind=LeadNote.Kind.ESCALATION).count() == 1


def test_lead_with_a_first_contact_is_not_escalated():
    world = applied_fast_loan()
    pipeline.lead_claim(lead=world.lead, actor=world.rm)
    pipeline.lead_transition(lead=world.lead, to=S.CONTACTED, actor=world.rm)
    lead = Lead.objects.get(pk=world.lead.pk)
    assert pipeline.leads_escalate_overdue(now=lead.due_at + timedelta(hours=1)) == 0
    assert not Notification.objects.filter(kind="lead_overdue").exists()


def test_escalation_task_runs_the_service():
    from ecosystem.financing.tasks import escalate_overdue_leads

    world = applied_fast_loan()
    Lead.objects.filter(pk=world.lead.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assert escalate_overdue_leads.delay().get() == 1
    assert escalate_overdue_leads.delay().get() == 0


def test_open_and_closed_statuses_derive_from_the_transition_table():
    # The one-open-lead constraint of migration 0003 names the same states, in this order.
    assert workflow.OPEN == ("new", "assigned", "contacted", "offer_made", "accepted")
    assert set(workflow.CLOSED) == {S.DISBURSED, S.DECLINED, S.WITHDRAWN, S.EXPIRED}
    assert not any(source in workflow.CLOSED for source, _t in workflow.TRANSITIONS)
