"""The decline record on the lead: the decline move stores the reason code and the bank's
note with the status, the pages read it from the lead (not from the timeline), and the
data migration fills it in for leads declined before it existed."""

from __future__ import annotations

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.utils import timezone, translation

from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent
from ecosystem.financing import services as pipeline
from ecosystem.financing import workflow
from ecosystem.financing.models import Lead, LeadNote, Offer
from tests.worlds.leads import World, client_for

pytestmark = pytest.mark.django_db
S = Lead.Status
R = workflow.DeclineReason

backfill_decline_reasons = importlib.import_module(
    "ecosystem.financing.migrations.0007_lead_decline_reason"
).backfill_decline_reasons


def _decline(world, code=R.CREDIT_HISTORY, note="征信有逾期记录"):
    return pipeline.lead_transition(
        lead=world.lead, to=S.DECLINED, actor=world.rm, reason_code=code, note=note
    )


def _drop_decline_entries(lead) -> None:
    """What a reader that went back to the timeline would need, gone."""
    deleted, _ = LeadNote.objects.filter(lead=lead, to_status=S.DECLINED).delete()
    assert deleted == 1


# ---- the service ----------------------------------------------------------------------


def test_decline_stores_the_reason_and_note_on_the_lead_and_keeps_the_timeline_entry():
    world = World(status=S.CONTACTED)
    _decline(world, note="  征信有逾期记录 ")
    lead = Lead.objects.get(pk=world.lead.pk)
    assert (lead.status, lead.decline_reason, lead.decline_note) == (
        S.DECLINED,
        R.CREDIT_HISTORY,
        "征信有逾期记录",
    )
    entry = lead.notes.get(to_status=S.DECLINED)
    assert entry.reason_code == R.CREDIT_HISTORY
    audit = AuditEvent.objects.filter(verb="lead.declined").get()
    assert audit.after["reason_code"] == R.CREDIT_HISTORY


@pytest.mark.parametrize(
    ("actor", "code"),
    [("rm", ""), ("rm", "not-a-code"), ("other_rm", R.CREDIT_HISTORY)],
)
def test_refused_decline_stores_no_reason(actor, code):
    world = World(status=S.ASSIGNED)
    with pytest.raises(ApplicationError):
        pipeline.lead_transition(
            lead=world.lead,
            to=S.DECLINED,
            actor=getattr(world, actor),
            reason_code=code,
            note="x",
        )
    lead = Lead.objects.get(pk=world.lead.pk)
    assert (lead.status, lead.decline_reason, lead.decline_note) == (S.ASSIGNED, "", "")


def test_other_moves_leave_the_decline_record_blank():
    world = World(status=S.ASSIGNED)
    pipeline.lead_transition(lead=world.lead, to=S.CONTACTED, actor=world.rm, note="打过电话")
    offer = pipeline.offer_make(
        lead=world.lead,
        actor=world.rm,
        amount=Decimal("800000"),
        rate=Decimal("4.0"),
        term_months=12,
        valid_until=timezone.now() + timedelta(days=5),
    )
    pipeline.offer_decline(offer=offer, actor=world.member)
    lead = Lead.objects.get(pk=world.lead.pk)
    assert Offer.objects.get().status == Offer.Status.DECLINED
    assert (lead.status, lead.decline_reason, lead.decline_note) == (S.CONTACTED, "", "")


def test_a_move_out_of_declined_would_clear_the_record(monkeypatch):
    """No such move exists (declined is final); the rule holds should one be added."""
    world = World(status=S.CONTACTED)
    _decline(world)
    monkeypatch.setitem(
        workflow.TRANSITIONS,
        (S.DECLINED, S.CONTACTED),
        workflow.Move(frozenset({workflow.RM})),
    )
    pipeline.lead_transition(lead=world.lead, to=S.CONTACTED, actor=world.rm)
    lead = Lead.objects.get(pk=world.lead.pk)
    assert (lead.status, lead.decline_reason, lead.decline_note, lead.reason_text) == (
        S.CONTACTED,
        "",
        "",
        "",
    )
    assert lead.notes.get(to_status=S.DECLINED).reason_code == R.CREDIT_HISTORY


# ---- the pages read the lead ------------------------------------------------------------


def test_the_enterprise_reads_the_reason_from_the_lead_without_its_timeline_entry():
    world = World(status=S.ASSIGNED)
    client_for(world.rm).post(
        world.lead_url("financing_lead_move"),
        {"to": "declined", "reason_code": R.EXISTING_DEBT, "note": "负债率 85%"},
    )
    _drop_decline_entries(world.lead)
    page = client_for(world.member).get(world.enterprise_leads_url())
    assert page.status_code == 200
    with translation.override(page.wsgi_request.LANGUAGE_CODE):
        reason = workflow.reason_text(R.EXISTING_DEBT)
    html = page.content.decode()
    assert 'data-testid="decline-reason"' in html and reason in html
    # The bank's own note stays with the bank.
    assert "负债率 85%" not in html


def test_the_bank_lead_page_shows_the_reason_label_and_note_from_the_lead():
    world = World(status=S.ASSIGNED)
    _decline(world, code=R.MISSING_DOCUMENTS, note="缺少审计报告")
    _drop_decline_entries(world.lead)
    page = client_for(world.manager).get(world.lead_url())
    assert page.status_code == 200
    with translation.override(page.wsgi_request.LANGUAGE_CODE):
        label = str(R.MISSING_DOCUMENTS.label)
    html = page.content.decode()
    assert f'data-reason="{R.MISSING_DOCUMENTS}"' in html and label in html
    assert 'data-testid="lead-decline-note"' in html and "缺少审计报告" in html
    assert 'data-testid="timeline-reason"' not in html


def test_an_open_lead_shows_no_decline_reason():
    world = World(status=S.ASSIGNED)
    assert 'data-testid="lead-decline-reason"' not in (
        client_for(world.rm).get(world.lead_url()).content.decode()
    )
    assert 'data-testid="decline-reason"' not in (
        client_for(world.member).get(world.enterprise_leads_url()).content.decode()
    )


# ---- the data migration -----------------------------------------------------------------


def _declined_before_the_record(world, *notes) -> Lead:
    """A lead declined the old way: status and timeline only, the record blank."""
    Lead.objects.filter(pk=world.lead.pk).update(status=S.DECLINED)
    for code, body in notes:
        LeadNote.objects.create(
            lead=world.lead,
            kind=LeadNote.Kind.STATUS,
            author=world.rm,
            body=body,
            from_status=S.CONTACTED,
            to_status=S.DECLINED,
            reason_code=code,
        )
    return world.lead


def _record(lead) -> tuple:
    lead.refresh_from_db()
    return lead.decline_reason, lead.decline_note


def test_backfill_copies_the_latest_decline_entry_onto_declined_leads():
    old = _declined_before_the_record(
        World(), (R.NO_RESPONSE, "first"), (R.OUTSIDE_POLICY, "政策外")
    )
    no_entry = _declined_before_the_record(World())
    recorded = World(status=S.CONTACTED)
    _decline(recorded, code=R.RD_TOO_LOW, note="kept")
    LeadNote.objects.filter(lead=recorded.lead).update(reason_code=R.EXISTING_DEBT)
    open_lead = World(status=S.CONTACTED).lead
    LeadNote.objects.create(lead=open_lead, to_status=S.DECLINED, reason_code=R.NO_RESPONSE)
    updated_at = Lead.objects.get(pk=old.pk).updated_at

    backfill_decline_reasons(django_apps, None)

    assert _record(old) == (R.OUTSIDE_POLICY, "政策外")
    assert old.updated_at == updated_at
    assert old.reason_text == workflow.reason_text(R.OUTSIDE_POLICY)
    assert _record(no_entry) == ("", "")
    assert _record(recorded.lead) == (R.RD_TOO_LOW, "kept")
    assert _record(open_lead) == ("", "")

    backfill_decline_reasons(django_apps, None)
    assert _record(old) == (R.OUTSIDE_POLICY, "政策外")
