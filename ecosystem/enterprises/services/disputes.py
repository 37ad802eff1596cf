"""Disputes over who holds a credit code.

A company that finds its code registered by someone else files a dispute with its
business licence and letter of authorisation; the zone official of the record's zone
decides. Upheld: the record is transferred (the filer becomes its owner, the holder's
memberships end, its consents end), every claim made under the wrong holder is revoked
and every bank that saw the firm is told. Dismissed: nothing changes. Each step is an
audit event on the record, so its whole story reads from the audit trail.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.accounts.scope import (
    lock_enterprise_memberships,
    officials_of_zone,
    owners_of_enterprise,
    scope_of,
    staff_of_bank,
)
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record, notify
from ecosystem.core.uscc import validate_uscc
from ecosystem.enterprises import permissions, workflow
from ecosystem.enterprises.models import (
    AccessLogEntry,
    Consent,
    Dispute,
    Enterprise,
    QualificationClaim,
)
from ecosystem.enterprises.services.claims import claim_transition
from ecosystem.enterprises.services.common import rematch_later
from ecosystem.enterprises.services.identity import (
    checked_documents,
    files_removed_on_failure,
    identity_transition,
    store_documents,
)
from ecosystem.enterprises.services.registration import _require_verified_email
from ecosystem.enterprises.workflow import (
    DISPUTE_TRANSITIONS,
    ClaimStatus,
    DisputeDismissal,
    DisputeStatus,
    IdentityStatus,
)


def dispute_file(
    *, user, uscc: str, claimed_name: str, licence, letter, message: str = ""
) -> Dispute:
    """File a dispute over the record registered under ``uscc``: all of it, or nothing."""
    _require_verified_email(user)
    try:
        code = validate_uscc(uscc)
    except Exception as exc:  # ValidationError: one translated message
        raise ApplicationError(exc.messages[0], code="invalid_uscc") from exc
    enterprise = Enterprise.objects.filter(uscc=code).first()
    if enterprise is None:
        raise ApplicationError(
            _("No enterprise is registered with this code."), code="not_registered"
        )
    if scope_of(user, fresh=True).is_member_of(enterprise.pk):
        raise ConflictError(
            _("You are already a member of this enterprise."), code="already_member"
        )
    if not claimed_name.strip():
        raise ApplicationError(
            _("Write the company name as the business licence reads."),
            code="name_required",
            extra={"errors": {"claimed_name": [_("This field is required.")]}},
        )
    documents = checked_documents(licence=licence, letter=letter)
    try:
        with files_removed_on_failure() as written, transaction.atomic():
            dispute = Dispute.objects.create(
                enterprise=enterprise,
                filed_by=user,
                claimed_name=claimed_name.strip()[:200],
                message=message[:2000],
                holder_name=enterprise.name,
            )
            store_documents(documents=documents, actor=user, written=written, dispute=dispute)
            audit_record(
                actor=user,
                verb="dispute.filed",
                target=enterprise,
                after={"dispute": dispute.pk, "claimed_name": dispute.claimed_name},
            )
            url = reverse("zone_dispute_review", args=[dispute.pk])
            notify(
                officials_of_zone(enterprise.zone_id),
                "dispute_filed",
                title=lambda: (
                    _("%(claimant)s disputes who holds the code %(code)s")
                    % {"claimant": dispute.claimed_name, "code": enterprise.uscc}
                ),
                url=url,
            )
            notify(
                owners_of_enterprise(enterprise.pk),
                "dispute_filed",
                title=lambda: (
                    _(
                        "%(claimant)s says the code of %(name)s is theirs; the zone official "
                        "will decide"
                    )
                    % {"claimant": dispute.claimed_name, "name": enterprise.name}
                ),
                url=enterprise.get_absolute_url(),
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("You already have an open dispute about this code."), code="dispute_open"
        ) from exc
    return dispute


def _lock(dispute: Dispute, to: str, party: str) -> Dispute:
    current = Dispute.objects.select_for_update().select_related("enterprise").get(pk=dispute.pk)
    move = DISPUTE_TRANSITIONS.get((current.status, to))
    if move is None or party not in move.parties:
        raise ConflictError(
            _("A dispute that is %(status)s cannot become %(target)s.")
            % {"status": current.get_status_display(), "target": DisputeStatus(to).label},
            code="transition_refused",
        )
    return current


def dispute_withdraw(*, dispute: Dispute, actor) -> Dispute:
    if dispute.filed_by_id != getattr(actor, "pk", None):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    with transaction.atomic():
        current = _lock(dispute, DisputeStatus.WITHDRAWN, workflow.ENTERPRISE)
        current.status = DisputeStatus.WITHDRAWN
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "decided_at"])
        audit_record(
            actor=actor,
            verb="dispute.withdrawn",
            target=current.enterprise,
            after={"dispute": current.pk},
        )
    return current


def dispute_decide(
    *, dispute: Dispute, actor, uphold: bool, reason_code: str = "", note: str = ""
) -> Dispute:
    """The zone official of the record's zone decides. A refused move changes nothing."""
    if not permissions.is_zone_official_for(actor, dispute.enterprise):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    to = DisputeStatus.UPHELD if uphold else DisputeStatus.DISMISSED
    with transaction.atomic():
        current = _lock(dispute, to, workflow.ZONE)
        if not uphold and reason_code not in DisputeDismissal.values:
            raise ApplicationError(_("Choose a reason."), code="reason_required")
        current.status = to
        current.reason_code = "" if uphold else reason_code
        current.note = note[:2000]
        current.decided_by = actor
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "reason_code", "note", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            verb=f"dispute.{to}",
            target=current.enterprise,
            after={"dispute": current.pk, "reason_code": current.reason_code, "note": note},
        )
        if uphold:
            _transfer(current, actor)
        notify(
            current.filed_by,
            "dispute_decided",
            title=lambda: (
                _("Your dispute about %(code)s: %(status)s")
                % {"code": current.enterprise.uscc, "status": current.get_status_display()}
            ),
            body=lambda: current.reason_label + (f" · {note}" if note else ""),
            url=current.enterprise.get_absolute_url() if uphold else reverse("my_enterprises"),
        )
    return current


def _transfer(dispute: Dispute, actor) -> None:
    """The record goes to the filer; what the wrong holder did with it is undone."""
    enterprise = Enterprise.objects.select_for_update().get(pk=dispute.enterprise_id)
    banks = banks_that_saw(enterprise)
    # Claims first: their notices still reach the holder's members.
    revoked = _revoke_claims(enterprise, dispute, actor)
    ended = _end_memberships(enterprise, dispute, actor)
    Membership.objects.update_or_create(
        user=dispute.filed_by,
        enterprise=enterprise,
        defaults={"role": Role.ENTERPRISE_OWNER, "is_active": True},
    )
    audit_record(
        actor=actor,
        verb="dispute.record_transferred",
        target=enterprise,
        before={"name": enterprise.name, "members": ended},
        after={"name": dispute.claimed_name, "owner": dispute.filed_by_id},
    )
    _end_consents(enterprise, actor)
    enterprise.name = dispute.claimed_name
    for field in ("contact_name", "contact_phone", "contact_email"):
        setattr(enterprise, field, "")
    enterprise.save(
        update_fields=["name", "contact_name", "contact_phone", "contact_email", "updated_at"]
    )
    if enterprise.identity_status in (IdentityStatus.CONFIRMED, IdentityStatus.SUBMITTED):
        identity_transition(
            enterprise=enterprise,
            to=IdentityStatus.UNCONFIRMED,
            actor=actor,
            party=workflow.DISPUTE,
            note=str(_("The record changed hands after a dispute.")),
        )
    identity_transition(
        enterprise=enterprise,
        to=IdentityStatus.CONFIRMED,
        actor=actor,
        party=workflow.DISPUTE,
        note=str(_("Confirmed from the documents filed with the dispute.")),
    )
    _notify_banks(enterprise, dispute, banks, revoked, actor)
    rematch_later(enterprise_id=enterprise.pk)


def _end_memberships(enterprise: Enterprise, dispute: Dispute, actor) -> list[int]:
    ended = []
    for membership in lock_enterprise_memberships(enterprise.pk):
        if membership.user_id == dispute.filed_by_id:
            continue
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        ended.append(membership.user_id)
        audit_record(
            actor=actor,
            verb="member.removed_by_dispute",
            target=enterprise,
            before={"user": membership.user_id, "role": membership.role},
        )
        notify(
            membership.user,
            "dispute_lost",
            title=lambda: (
                _(
                    "The zone official decided that the code %(code)s belongs to %(claimant)s: "
                    "your membership of the record ended"
                )
                % {"code": enterprise.uscc, "claimant": dispute.claimed_name}
            ),
            url=reverse("my_enterprises"),
        )
    return ended


def _revoke_claims(enterprise: Enterprise, dispute: Dispute, actor) -> list[QualificationClaim]:
    """Every claim of the wrong holder ends; the verified ones are returned (banks saw them)."""
    ended_states = (ClaimStatus.REJECTED, ClaimStatus.EXPIRED, ClaimStatus.REVOKED)
    revoked = []
    claims = QualificationClaim.objects.filter(enterprise=enterprise).exclude(
        status__in=ended_states
    )
    for claim in claims.select_related("program").order_by("pk"):
        was_verified = claim.status == ClaimStatus.VERIFIED
        claim_transition(
            claim=claim,
            to=ClaimStatus.REVOKED,
            actor=actor,
            party=workflow.DISPUTE,
            registry_entry=None,
            reason_text=str(
                _(
                    "Revoked: the zone official decided a dispute; the code belongs to "
                    "%(claimant)s, not to whoever claimed this."
                )
                % {"claimant": dispute.claimed_name}
            ),
        )
        if was_verified:
            revoked.append(claim)
    return revoked


def _end_consents(enterprise: Enterprise, actor) -> None:
    now = timezone.now()
    for consent in Consent.objects.filter(enterprise=enterprise, revoked_at__isnull=True):
        consent.revoked_at = now
        consent.revoked_by = actor
        consent.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            verb="consent.revoked_by_dispute",
            target=enterprise,
            before={"consent": consent.pk, "bank": consent.bank_id},
        )


def banks_that_saw(enterprise: Enterprise) -> list[int]:
    """Banks that saw the firm: every consent it ever gave (a lead or an accepted
    invitation always grants one) and every view in its access log."""
    ids = set(Consent.objects.filter(enterprise=enterprise).values_list("bank_id", flat=True))
    ids |= set(
        AccessLogEntry.objects.filter(enterprise=enterprise).values_list("bank_id", flat=True)
    )
    return sorted(ids)


def _notify_banks(enterprise, dispute, bank_ids, revoked, actor) -> None:
    programs = ", ".join(sorted({claim.program.name for claim in revoked}))
    for bank_id in bank_ids:
        audit_record(
            actor=actor,
            verb="dispute.bank_notified",
            target=enterprise,
            after={"bank": bank_id, "revoked_claims": [c.pk for c in revoked]},
        )
        notify(
            staff_of_bank(bank_id),
            "dispute_bank_notice",
            title=lambda: (
                _("%(code)s changed hands after a dispute: qualifications revoked")
                % {"code": enterprise.uscc}
            ),
            body=lambda: (
                _(
                    "The zone official decided that the code %(code)s belongs to %(claimant)s, "
                    "not to %(holder)s who registered it. Qualifications verified under the "
                    "wrong holder are revoked: %(programs)s. Its consents ended; do not rely "
                    "on what you saw of it before."
                )
                % {
                    "code": enterprise.uscc,
                    "claimant": dispute.claimed_name,
                    "holder": dispute.holder_name,
                    "programs": programs or "—",
                }
            ),
            # the record is no longer theirs to open (its consents ended): the bank's
            # own list of enterprises, where the revoked qualifications no longer match
            url=reverse("financing_bank_matches"),
        )
