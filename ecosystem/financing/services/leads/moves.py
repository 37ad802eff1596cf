"""Moving a lead along the pipeline: transitions, claim, assignment, notes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.notices import code_label, msg
from ecosystem.core.services import audit_record
from ecosystem.financing import permissions, workflow
from ecosystem.financing.models import Lead, LeadNote
from ecosystem.financing.services.leads.common import (
    S,
    apply_move,
    check_move,
    is_rm_of_branch,
    lead_party,
    lock_lead,
    not_found,
    notify_enterprise,
    stop_clocks,
)
from ecosystem.financing.summary import summary_sync


def lead_transition(
    *, lead: Lead, to: str, actor, reason_code: str | None = None, note: str = ""
) -> Lead:
    """Move a lead along the table: contact, decline (with a reason code), withdraw,
    expire (``actor=None``: the system). Claims, offers and disbursements have their
    own services, which record what those moves need.

    A decline stores its reason code and note on the lead (``decline_reason``,
    ``decline_note``) with the status and the timeline entry; ``declined`` is final, and
    ``apply_move`` clears the record on any move out of it should one ever be added."""
    party = lead_party(actor, lead)
    if party is None:
        raise not_found()
    reason_code = (reason_code or "").strip()
    with transaction.atomic():
        current = lock_lead(lead)
        move = check_move(current, to, party, actor)
        if move.requires_assignee or move.requires_offer or move.requires_disbursement:
            raise ApplicationError(
                _("This step is taken by claiming, assigning, offering or disbursing."),
                code="use_dedicated_service",
            )
        if move.requires_reason:
            if not reason_code:
                raise ApplicationError(_("Choose a reason code."), code="reason_required")
            if reason_code not in workflow.DeclineReason.values:
                raise ApplicationError(_("Unknown reason code."), code="bad_reason")
        apply_move(current, to, actor=actor, party=party, reason_code=reason_code, note=note)
        if party != workflow.ENTERPRISE:
            notify_enterprise(
                current,
                body=msg(
                    # Not a text to translate: the reason's own words are the label.
                    "%(reason)s",
                    reason=code_label("decline_reason_text", reason_code),
                ),
            )
    return current


def lead_claim(*, lead: Lead, actor) -> Lead:
    """A relationship manager of the lead's branch takes an unassigned lead. Of two
    simultaneous claims exactly one wins; the other gets a ``ConflictError``."""
    if not is_rm_of_branch(actor, lead.branch_id):
        raise not_found()
    with transaction.atomic():
        current = lock_lead(lead)
        if current.assigned_to_id is not None:
            if current.assigned_to_id == actor.pk:
                return current
            raise ConflictError(
                _("Someone else already took this lead: %(name)s.") % {"name": current.assigned_to},
                code="already_claimed",
            )
        check_move(current, S.ASSIGNED, workflow.RM, actor)
        current.assigned_to = actor
        apply_move(
            current, S.ASSIGNED, actor=actor, party=workflow.RM, extra_fields=("assigned_to",)
        )
    return current


def lead_assign(*, lead: Lead, actor, assignee) -> Lead:
    """A manager of the lead's bank gives the lead to a relationship manager of its
    branch (a new lead becomes assigned; an open lead changes hands)."""
    if not permissions.is_bank_manager(actor, lead.bank):
        raise not_found()
    if not is_rm_of_branch(assignee, lead.branch_id):
        raise ApplicationError(
            _("Choose a relationship manager of the branch serving this lead."),
            code="bad_assignee",
        )
    with transaction.atomic():
        current = lock_lead(lead)
        if current.status == S.NEW:
            check_move(current, S.ASSIGNED, workflow.MANAGER, actor)
            current.assigned_to = assignee
            return apply_move(
                current,
                S.ASSIGNED,
                actor=actor,
                party=workflow.MANAGER,
                extra_fields=("assigned_to",),
            )
        if current.status in workflow.CLOSED:
            raise ConflictError(
                _("A lead that is %(status)s cannot be reassigned.")
                % {"status": current.get_status_display()},
                code="closed",
            )
        before = current.assigned_to_id
        current.assigned_to = assignee
        current.save(update_fields=["assigned_to", "updated_at"])
        LeadNote.objects.create(
            lead=current,
            kind=LeadNote.Kind.NOTE,
            author=actor,
            body=_("Reassigned to %(name)s.") % {"name": assignee},
        )
        audit_record(
            actor=actor,
            verb="lead.reassigned",
            target=current,
            before={"assigned_to": before},
            after={"assigned_to": assignee.pk},
        )
    return current


def lead_note_add(*, lead: Lead, actor, body: str, contact: bool = False) -> LeadNote:
    """A note on the lead's timeline by bank staff working the lead. With ``contact``
    it records a contact with the enterprise (a call, a visit, a message) and stops the
    first-contact clock if it still runs; the status does not change."""
    if lead_party(actor, lead) not in (workflow.RM, workflow.MANAGER):
        raise not_found()
    body = body.strip()
    if not body:
        raise ApplicationError(_("Write a note first."), code="empty_note")
    kind = LeadNote.Kind.CONTACT if contact else LeadNote.Kind.NOTE
    with transaction.atomic():
        if contact:
            current = lock_lead(lead)
            if current.status in workflow.CLOSED:
                raise ConflictError(
                    _("A lead that is %(status)s takes no more contacts.")
                    % {"status": current.get_status_display()},
                    code="closed",
                )
            stopped = stop_clocks(current, S.CONTACTED, contact_only=True)
            if stopped:
                current.save(update_fields=[*stopped, "updated_at"])
                summary_sync(current)
                lead.first_contact_at = current.first_contact_at
        note = LeadNote.objects.create(lead=lead, kind=kind, author=actor, body=body)
        audit_record(
            actor=actor,
            verb="lead.contact_recorded" if contact else "lead.note_added",
            target=lead,
            after={"note": note.pk},
        )
    return note
