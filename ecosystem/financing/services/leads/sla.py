"""Response times: escalating overdue leads once per clock.

Two clocks run on a lead (``Lead.first_contact_due_at``, kept in ``due_at``, and
``Lead.decision_due_at``): an open lead past either without the matching event (first
contact, decision) is flagged and the bank's managers are told, once per clock."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ecosystem.core.notices import bilingual, msg
from ecosystem.core.services import audit_record
from ecosystem.financing import workflow
from ecosystem.financing.models import Lead, LeadNote
from ecosystem.financing.services.leads.common import (
    bank_lead_url,
    bank_managers,
    tell,
)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


#: Per clock: (due field, the field the event sets, the escalation flag, audit verb).
CLOCKS = {
    "first_contact": ("due_at", "first_contact_at", "escalated_at", "lead.escalated"),
    "decision": (
        "decision_due_at",
        "decided_at",
        "decision_escalated_at",
        "lead.decision_escalated",
    ),
}


def _texts(clock: str, lead: Lead) -> dict:
    due = _when(getattr(lead, CLOCKS[clock][0]))
    if clock == "first_contact":
        return {
            "note": _("No response by %(due)s; escalated to the bank's managers.") % {"due": due},
            "title": msg(
                gettext_noop("Overdue lead: %(enterprise)s · %(product)s"),
                enterprise=lead.enterprise.name,
                product=bilingual(lead.product),
            ),
            "body": msg(
                gettext_noop("Nobody at %(branch)s has responded since %(due)s."),
                branch=bilingual(lead.branch),
                due=due,
            ),
        }
    return {
        "note": _("No decision by %(due)s; escalated to the bank's managers.") % {"due": due},
        "title": msg(
            gettext_noop("Decision overdue: %(enterprise)s · %(product)s"),
            enterprise=lead.enterprise.name,
            product=bilingual(lead.product),
        ),
        "body": msg(
            gettext_noop("%(branch)s has made no offer and no decline since %(due)s."),
            branch=bilingual(lead.branch),
            due=due,
        ),
    }


def _escalate(clock: str, now: datetime) -> int:
    due_field, event_field, flag_field, verb = CLOCKS[clock]
    pending = {f"{event_field}__isnull": True, f"{flag_field}__isnull": True}
    candidates = Lead.objects.filter(
        status__in=workflow.OPEN, **{f"{due_field}__lt": now}, **pending
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(candidates):
        with transaction.atomic():
            current = (
                Lead.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("enterprise", "product", "branch")
                .filter(pk=pk, status__in=workflow.OPEN, **pending)
                .first()
            )
            if current is None:
                continue
            setattr(current, flag_field, now)
            current.save(update_fields=[flag_field, "updated_at"])
            texts = _texts(clock, current)
            LeadNote.objects.create(lead=current, kind=LeadNote.Kind.ESCALATION, body=texts["note"])
            audit_record(
                actor=None,
                verb=verb,
                target=current,
                after={
                    due_field: getattr(current, due_field).isoformat(),
                    flag_field: now.isoformat(),
                },
            )
            tell(
                bank_managers(current),
                kind="lead_overdue",
                title=texts["title"],
                body=texts["body"],
                url=bank_lead_url(current),
            )
            count += 1
    return count


def leads_escalate_overdue(*, now: datetime | None = None) -> int:
    """Open leads past their first-contact due time with no contact, and past their
    decision due time with no offer or decline: flag each and tell the bank's managers,
    once per clock. Safe to run twice; returns how many escalations were made."""
    now = now or timezone.now()
    return _escalate("first_contact", now) + _escalate("decision", now)
