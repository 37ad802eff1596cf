"""Helpers shared by the lead pipeline services."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ecosystem.accounts.scope import managers_of_bank, members_of_enterprise, rms_of_branch
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.notices import bilingual, code_label, msg
from ecosystem.core.services import audit_record, notify
from ecosystem.financing import permissions, workflow
from ecosystem.financing.models import Lead, LeadNote
from ecosystem.financing.summary import (
    reached_index,
    set_durations,
    summary_snapshot,
    summary_sync,
)

S = Lead.Status


def not_found() -> ApplicationError:
    return ApplicationError(_("Not found."), code="not_found", status=404)


def is_rm_of_branch(user, branch_id: int) -> bool:
    return permissions.is_rm_of_branch(user, branch_id)


def lead_party(actor, lead: Lead) -> str | None:
    """The party the actor plays on this lead, or ``None`` if it is none of theirs."""
    if actor is None:
        return workflow.SYSTEM
    if permissions.is_bank_manager(actor, lead.bank):
        return workflow.MANAGER
    if is_rm_of_branch(actor, lead.branch_id):
        return workflow.RM
    if permissions.can_answer_for(actor, lead.enterprise):
        return workflow.ENTERPRISE
    return None


def lock_lead(lead: Lead) -> Lead:
    """The lead, locked, with the snapshot of its facts that ``summary_sync`` needs."""
    current = (
        Lead.objects.select_for_update(of=("self",))
        .select_related("enterprise", "bank", "product", "product_version")
        .get(pk=lead.pk)
    )
    summary_snapshot(current)
    return current


def check_move(current: Lead, to: str, party: str, actor) -> workflow.Move:
    move = workflow.TRANSITIONS.get((current.status, to))
    if move is None or party not in move.parties:
        raise ConflictError(
            _("A lead that is %(status)s cannot become %(target)s.")
            % {"status": current.get_status_display(), "target": S(to).label},
            code="transition_refused",
        )
    if move.requires_direct_offer and not current.product_version.allows_direct_offer:
        raise ConflictError(
            _(
                "Contact the enterprise before making an offer: this product does not "
                "allow an offer without a recorded contact."
            ),
            code="contact_first",
        )
    if (
        party == workflow.RM
        and not move.requires_assignee
        and current.assigned_to_id not in (None, actor.pk)
    ):
        raise ConflictError(
            _("This lead belongs to another relationship manager."), code="not_assignee"
        )
    return move


def apply_move(
    current: Lead,
    to: str,
    *,
    actor,
    party: str,
    extra_fields: tuple[str, ...] = (),
    reason_code: str = "",
    note: str = "",
    audit: dict | None = None,
) -> Lead:
    """Save an already checked move with its timeline entry and audit event.

    The decline record on the lead follows the status in the same save: a move to
    ``declined`` stores the reason code and the bank's note, and a move out of it clears
    them, so a lead carries a decline reason exactly while it is declined. Nothing moves
    out of ``declined`` today (it is final); should a reopening move ever be added, the
    relationship manager gets a clean lead to work while the earlier decline stays in
    the timeline and the audit trail.
    """
    before = {"status": current.status, "assigned_to": current.assigned_to_id}
    fields = ["status", "updated_at", *extra_fields]
    from_status = current.status
    current.status = to
    if to == S.DECLINED or current.decline_reason or current.decline_note:
        current.decline_reason = reason_code if to == S.DECLINED else ""
        current.decline_note = note.strip() if to == S.DECLINED else ""
        fields += ["decline_reason", "decline_note"]
    if party in (workflow.RM, workflow.MANAGER):
        fields += stop_clocks(current, to)
    if reached_index(to, current.reached) != current.reached:
        current.reached = reached_index(to, current.reached)
        fields.append("reached")
    current.save(update_fields=fields)
    LeadNote.objects.create(
        lead=current,
        kind=LeadNote.Kind.STATUS,
        author=actor,
        body=note,
        from_status=from_status,
        to_status=to,
        reason_code=reason_code,
    )
    summary_sync(current)
    audit_record(
        actor=actor,
        verb=f"lead.{to}",
        target=current,
        before=before,
        after={
            "status": to,
            "party": party,
            "assigned_to": current.assigned_to_id,
            "reason_code": reason_code,
            **(audit or {}),
        },
    )
    return current


#: Moves by the bank that reach the enterprise: each stops the first-contact clock.
CONTACT_MOVES = (S.CONTACTED, S.OFFER_MADE, S.DECLINED)
#: Moves by the bank that decide the request: each stops the decision clock.
DECISION_MOVES = (S.OFFER_MADE, S.DECLINED)


def stop_clocks(current: Lead, to: str, *, contact_only: bool = False) -> list[str]:
    """Stop the clocks a bank move to ``to`` stops (claiming and assigning stop none):
    the contact move stops first contact; an offer or a decline decides, and since the
    enterprise hears of it, also counts as the first contact if none came before. Only
    the first time counts; each stopped clock stores its working hours. Returns the
    fields set."""
    now, fields = timezone.now(), []
    if (contact_only or to in CONTACT_MOVES) and current.first_contact_at is None:
        current.first_contact_at = now
        fields.append("first_contact_at")
    if not contact_only and to in DECISION_MOVES and current.decided_at is None:
        current.decided_at = now
        fields.append("decided_at")
    return fields + set_durations(current)


def enterprise_members(lead: Lead):
    return list(members_of_enterprise(lead.enterprise_id))


def bank_managers(lead: Lead):
    return list(managers_of_bank(lead.bank_id))


def branch_rms(lead: Lead):
    return list(rms_of_branch(lead.branch_id))


def notify_bank_of_new_lead(lead: Lead) -> None:
    """The relationship managers of the lead's branch hear of a new lead with its due
    time (the bank's managers when the branch has nobody yet)."""
    due = timezone.localtime(lead.due_at).strftime("%Y-%m-%d %H:%M") if lead.due_at else ""
    tell(
        branch_rms(lead) or bank_managers(lead),
        kind="lead_new",
        title=msg(
            gettext_noop("New lead: %(enterprise)s · %(product)s"),
            enterprise=lead.enterprise.name,
            product=bilingual(lead.product),
        ),
        body=msg(gettext_noop("Please respond by %(due)s (Beijing time)."), due=due) if due else "",
        url=bank_lead_url(lead),
    )


def bank_lead_url(lead: Lead) -> str:
    """The lead's page on the bank's side."""
    return reverse("financing_lead_detail", args=[lead.pk])


def enterprise_lead_url(lead: Lead) -> str:
    """The request (and its offers) on the enterprise's page of financing requests."""
    return reverse("financing_enterprise_leads", args=[lead.enterprise_id]) + f"#lead-{lead.pk}"


def tell(users, *, kind: str, title, url: str, body="") -> None:
    """Notify each user: messages (``core.notices.msg``) are shown in the reader's
    language; ``url`` is the lead's page on the reader's side."""
    notify(users, kind, title=title, body=body, url=url)


def enterprise_offer_url(lead: Lead, offer) -> str:
    """The offer's own page on the enterprise's side: its terms and the confirm step."""
    return reverse("financing_enterprise_offer_confirm", args=[lead.enterprise_id, offer.pk])


def notify_enterprise(lead: Lead, *, body="", url: str = "") -> None:
    tell(
        enterprise_members(lead),
        kind="lead_status",
        title=msg(
            gettext_noop("%(product)s request: %(status)s"),
            product=bilingual(lead.product),
            status=code_label("lead_status", lead.status),
        ),
        body=body,
        url=url or enterprise_lead_url(lead),
    )
