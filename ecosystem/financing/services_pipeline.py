"""The lead pipeline: claiming and assigning, moving a lead along ``lead_workflow``,
offers and their answers, disbursement, and escalating overdue leads.

Every write is keyword-only, locks the lead (``select_for_update``), checks the move
against ``lead_workflow.TRANSITIONS`` for the actor's party, saves with
``update_fields``, writes an ``AuditEvent`` and a timeline entry, and notifies through
``notify`` (whose email goes after commit). A refused move changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecosystem.accounts.roles import ENTERPRISE_ROLES, Role
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record, notify
from ecosystem.financing import lead_workflow as workflow
from ecosystem.financing import permissions
from ecosystem.financing.models import Disbursement, Lead, LeadNote, Offer

S = Lead.Status


def _not_found() -> ApplicationError:
    return ApplicationError(_("Not found."), code="not_found", status=404)


def _is_rm_of_branch(user, branch_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.memberships.filter(is_active=True, role=Role.BANK_RM, branch_id=branch_id).exists()


def lead_party(actor, lead: Lead) -> str | None:
    """The party the actor plays on this lead, or ``None`` if it is none of theirs."""
    if actor is None:
        return workflow.SYSTEM
    if permissions.is_bank_manager(actor, lead.bank):
        return workflow.MANAGER
    if _is_rm_of_branch(actor, lead.branch_id):
        return workflow.RM
    if permissions.can_answer_for(actor, lead.enterprise):
        return workflow.ENTERPRISE
    return None


def _lock(lead: Lead) -> Lead:
    return (
        Lead.objects.select_for_update(of=("self",))
        .select_related("enterprise", "bank", "product", "product_version")
        .get(pk=lead.pk)
    )


def _check_move(current: Lead, to: str, party: str, actor) -> workflow.Move:
    move = workflow.TRANSITIONS.get((current.status, to))
    if move is None or party not in move.parties:
        raise ConflictError(
            _("A lead that is %(status)s cannot become %(target)s.")
            % {"status": current.get_status_display(), "target": S(to).label},
            code="transition_refused",
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


def _apply(
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
    """Save an already checked move with its timeline entry and audit event."""
    before = {"status": current.status, "assigned_to": current.assigned_to_id}
    fields = ["status", *extra_fields]
    from_status = current.status
    current.status = to
    if party in (workflow.RM, workflow.MANAGER) and current.first_response_at is None:
        current.first_response_at = timezone.now()
        fields.append("first_response_at")
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


def _enterprise_members(lead: Lead):
    return [
        m.user
        for m in lead.enterprise.memberships.filter(
            is_active=True, role__in=ENTERPRISE_ROLES
        ).select_related("user")
    ]


def _bank_managers(lead: Lead):
    from ecosystem.accounts.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(
            is_active=True, role=Role.BANK_MANAGER, bank_id=lead.bank_id
        ).select_related("user")
    ]


def _tell(users, *, kind: str, title, body=lambda: "") -> None:
    """Notify each user with texts built in the user's own language (callables)."""
    for user in users:
        with translation.override(getattr(user, "language", None) or "zh-hans"):
            notify(recipient=user, kind=kind, title=title(), body=body())


def _notify_enterprise(lead: Lead, *, body=lambda: "") -> None:
    _tell(
        _enterprise_members(lead),
        kind="lead_status",
        title=lambda: (
            _("%(product)s request: %(status)s")
            % {"product": lead.product.name, "status": lead.get_status_display()}
        ),
        body=body,
    )


def lead_transition(
    *, lead: Lead, to: str, actor, reason_code: str | None = None, note: str = ""
) -> Lead:
    """Move a lead along the table: contact, decline (with a reason code), withdraw,
    expire (``actor=None``: the system). Claims, offers and disbursements have their
    own services, which record what those moves need."""
    party = lead_party(actor, lead)
    if party is None:
        raise _not_found()
    reason_code = (reason_code or "").strip()
    with transaction.atomic():
        current = _lock(lead)
        move = _check_move(current, to, party, actor)
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
        _apply(current, to, actor=actor, party=party, reason_code=reason_code, note=note)
        if party != workflow.ENTERPRISE:
            _notify_enterprise(current, body=lambda: workflow.reason_text(reason_code))
    return current


def lead_claim(*, lead: Lead, actor) -> Lead:
    """A relationship manager of the lead's branch takes an unassigned lead. Of two
    simultaneous claims exactly one wins; the other gets a ``ConflictError``."""
    if not _is_rm_of_branch(actor, lead.branch_id):
        raise _not_found()
    with transaction.atomic():
        current = _lock(lead)
        if current.assigned_to_id is not None:
            if current.assigned_to_id == actor.pk:
                return current
            raise ConflictError(
                _("Someone else already took this lead: %(name)s.") % {"name": current.assigned_to},
                code="already_claimed",
            )
        _check_move(current, S.ASSIGNED, workflow.RM, actor)
        current.assigned_to = actor
        _apply(current, S.ASSIGNED, actor=actor, party=workflow.RM, extra_fields=("assigned_to",))
    return current


def lead_assign(*, lead: Lead, actor, assignee) -> Lead:
    """A manager of the lead's bank gives the lead to a relationship manager of its
    branch (a new lead becomes assigned; an open lead changes hands)."""
    if not permissions.is_bank_manager(actor, lead.bank):
        raise _not_found()
    if not _is_rm_of_branch(assignee, lead.branch_id):
        raise ApplicationError(
            _("Choose a relationship manager of the branch serving this lead."),
            code="bad_assignee",
        )
    with transaction.atomic():
        current = _lock(lead)
        if current.status == S.NEW:
            _check_move(current, S.ASSIGNED, workflow.MANAGER, actor)
            current.assigned_to = assignee
            return _apply(
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
        current.save(update_fields=["assigned_to"])
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


def lead_note_add(*, lead: Lead, actor, body: str) -> LeadNote:
    """A note on the lead's timeline by bank staff working the lead."""
    if lead_party(actor, lead) not in (workflow.RM, workflow.MANAGER):
        raise _not_found()
    body = body.strip()
    if not body:
        raise ApplicationError(_("Write a note first."), code="empty_note")
    with transaction.atomic():
        note = LeadNote.objects.create(lead=lead, kind=LeadNote.Kind.NOTE, author=actor, body=body)
        audit_record(actor=actor, verb="lead.note_added", target=lead, after={"note": note.pk})
    return note


def _check_offer_terms(
    lead: Lead,
    *,
    amount: Decimal,
    rate: Decimal,
    term_months: int,
    valid_until: datetime,
    override_reason: str,
) -> None:
    version = lead.product_version
    if not version.amount_min <= amount <= version.amount_max:
        raise ApplicationError(
            _("The amount must be between ¥%(low)s and ¥%(high)s for this product.")
            % {"low": f"{version.amount_min:,.0f}", "high": f"{version.amount_max:,.0f}"},
            code="amount_out_of_range",
        )
    if amount > lead.indicative_limit and not override_reason:
        raise ApplicationError(
            _(
                "The amount is above the indicative limit of ¥%(limit)s; "
                "record the reason for exceeding it."
            )
            % {"limit": f"{lead.indicative_limit:,.0f}"},
            code="override_reason_required",
        )
    if not version.rate_min <= rate <= version.rate_max:
        raise ApplicationError(
            _("The rate must be between %(low)s%% and %(high)s%% for this product.")
            % {"low": version.rate_min, "high": version.rate_max},
            code="rate_out_of_range",
        )
    if not version.term_min_months <= term_months <= version.term_max_months:
        raise ApplicationError(
            _("The term must be between %(low)d and %(high)d months for this product.")
            % {"low": version.term_min_months, "high": version.term_max_months},
            code="term_out_of_range",
        )
    if valid_until <= timezone.now():
        raise ApplicationError(_("The offer must be valid until a future time."), code="past_valid")


def offer_make(
    *,
    lead: Lead,
    actor,
    amount: Decimal,
    rate: Decimal,
    term_months: int,
    valid_until: datetime,
    conditions: str = "",
    override_reason: str = "",
) -> Offer:
    """Offer terms within the product version's ranges; above the lead's indicative
    limit only with a recorded reason. The lead becomes ``offer_made``."""
    party = lead_party(actor, lead)
    if party not in (workflow.RM, workflow.MANAGER):
        raise _not_found()
    amount, rate, override_reason = Decimal(amount), Decimal(rate), override_reason.strip()
    with transaction.atomic():
        current = _lock(lead)
        _check_move(current, S.OFFER_MADE, party, actor)
        _check_offer_terms(
            current,
            amount=amount,
            rate=rate,
            term_months=term_months,
            valid_until=valid_until,
            override_reason=override_reason,
        )
        offer = Offer.objects.create(
            lead=current,
            amount=amount,
            rate=rate,
            term_months=term_months,
            conditions=conditions.strip(),
            valid_until=valid_until,
            override_reason=override_reason,
            created_by=actor,
        )
        _apply(
            current,
            S.OFFER_MADE,
            actor=actor,
            party=party,
            audit={
                "offer": offer.pk,
                "amount": str(amount),
                "rate": str(rate),
                "term_months": term_months,
                "override_reason": override_reason,
            },
        )
        _notify_enterprise(
            current,
            body=lambda: (
                _("Offer: ¥%(amount)s at %(rate)s%% for %(term)d months.")
                % {"amount": f"{amount:,.0f}", "rate": rate, "term": term_months}
            ),
        )
    return offer


def _answer_offer(*, offer: Offer, actor, accept: bool) -> Offer:
    lead = offer.lead
    if lead_party(actor, lead) != workflow.ENTERPRISE:
        raise _not_found()
    with transaction.atomic():
        current_lead = _lock(lead)
        current = Offer.objects.select_for_update().get(pk=offer.pk, lead=current_lead)
        if current.status != Offer.Status.MADE:
            raise ConflictError(
                _("This offer was already answered: %(status)s.")
                % {"status": current.get_status_display()},
                code="already_answered",
            )
        to = S.ACCEPTED if accept else S.CONTACTED
        _check_move(current_lead, to, workflow.ENTERPRISE, actor)
        if accept and current.valid_until <= timezone.now():
            raise ConflictError(
                _("This offer expired on %(when)s; ask the bank for a new one.")
                % {"when": timezone.localtime(current.valid_until).strftime("%Y-%m-%d %H:%M")},
                code="offer_expired",
            )
        current.status = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
        current.responded_at = timezone.now()
        current.responded_by = actor
        current.save(update_fields=["status", "responded_at", "responded_by"])
        _apply(
            current_lead,
            to,
            actor=actor,
            party=workflow.ENTERPRISE,
            audit={"offer": current.pk, "offer_status": current.status},
        )
        name = current_lead.enterprise.name
        recipients = [current_lead.assigned_to] if current_lead.assigned_to else []
        _tell(
            recipients or _bank_managers(current_lead),
            kind="offer_answer",
            title=(
                (lambda: _("%(enterprise)s accepted the offer") % {"enterprise": name})
                if accept
                else (lambda: _("%(enterprise)s declined the offer") % {"enterprise": name})
            ),
        )
    return current


def offer_accept(*, offer: Offer, actor) -> Offer:
    """The enterprise accepts a valid offer; an expired one is refused."""
    return _answer_offer(offer=offer, actor=actor, accept=True)


def offer_decline(*, offer: Offer, actor) -> Offer:
    """The enterprise declines; the lead goes back to ``contacted`` for a new offer."""
    return _answer_offer(offer=offer, actor=actor, accept=False)


def disbursement_record(*, lead: Lead, actor, amount: Decimal, disbursed_on: date) -> Disbursement:
    """The relationship manager records the money paid out on the accepted offer."""
    party = lead_party(actor, lead)
    if party not in (workflow.RM, workflow.MANAGER):
        raise _not_found()
    amount = Decimal(amount)
    with transaction.atomic():
        current = _lock(lead)
        _check_move(current, S.DISBURSED, party, actor)
        offer = current.offers.filter(status=Offer.Status.ACCEPTED).order_by("-id").first()
        if offer is None:  # the table guarantees an accepted offer; be explicit anyway
            raise ConflictError(_("There is no accepted offer."), code="no_offer")
        if not Decimal(0) < amount <= offer.amount:
            raise ApplicationError(
                _("The amount must be positive and at most the offered ¥%(amount)s.")
                % {"amount": f"{offer.amount:,.0f}"},
                code="amount_out_of_range",
            )
        if disbursed_on > timezone.localdate():
            raise ApplicationError(_("The date cannot be in the future."), code="future_date")
        disbursement = Disbursement.objects.create(
            lead=current, offer=offer, amount=amount, disbursed_on=disbursed_on, recorded_by=actor
        )
        _apply(
            current,
            S.DISBURSED,
            actor=actor,
            party=party,
            audit={"amount": str(amount), "disbursed_on": disbursed_on.isoformat()},
        )
        _notify_enterprise(current)
    return disbursement


def leads_escalate_overdue(*, now: datetime | None = None) -> int:
    """Open leads past their due time with no first response: flag each one and tell
    the bank's managers, once. Safe to run twice; returns how many were escalated."""
    now = now or timezone.now()
    candidates = Lead.objects.filter(
        status__in=Lead.OPEN_STATUSES,
        due_at__lt=now,
        first_response_at__isnull=True,
        escalated_at__isnull=True,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(candidates):
        with transaction.atomic():
            current = (
                Lead.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("enterprise", "product", "branch")
                .filter(pk=pk, escalated_at__isnull=True, first_response_at__isnull=True)
                .first()
            )
            if current is None:
                continue
            current.escalated_at = now
            current.save(update_fields=["escalated_at"])
            LeadNote.objects.create(
                lead=current,
                kind=LeadNote.Kind.ESCALATION,
                body=_("No response by %(due)s; escalated to the bank's managers.")
                % {"due": timezone.localtime(current.due_at).strftime("%Y-%m-%d %H:%M")},
            )
            audit_record(
                actor=None,
                verb="lead.escalated",
                target=current,
                after={"due_at": current.due_at.isoformat(), "escalated_at": now.isoformat()},
            )
            _tell(
                _bank_managers(current),
                kind="lead_overdue",
                title=lambda lead=current: (
                    _("Overdue lead: %(enterprise)s · %(product)s")
                    % {"enterprise": lead.enterprise.name, "product": lead.product.name}
                ),
                body=lambda lead=current: (
                    _("Nobody at %(branch)s has responded since %(due)s.")
                    % {
                        "branch": lead.branch.name,
                        "due": timezone.localtime(lead.due_at).strftime("%Y-%m-%d %H:%M"),
                    }
                ),
            )
            count += 1
    return count
