"""The registrant's identity: documents submitted, the zone's (or a bank's) decision, and
names flagged as registered under another code.

Until an enterprise's identity is confirmed no claim of it is verified, by the list or by
the zone (``claims.claim_transition`` refuses), and every page says "identity
unconfirmed". Confirming it verifies, after commit, the waiting claims the lists prove.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.scope import members_of_enterprise, officials_of_zone
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record, notify
from ecosystem.core.uploads import check_upload
from ecosystem.enterprises import permissions, workflow
from ecosystem.enterprises.models import (
    Enterprise,
    IdentityCheck,
    IdentityDocument,
    NameFlag,
)
from ecosystem.enterprises.services.common import rematch_later, require_member
from ecosystem.enterprises.workflow import (
    IDENTITY_TRANSITIONS,
    IdentityRefusal,
    IdentitySource,
    IdentityStatus,
)

#: How many other firms one registration is flagged against at most.
MAX_NAME_FLAGS = 5


@contextmanager
def files_removed_on_failure():
    """Documents written inside the block are deleted again when it fails (no orphan file
    in private storage); use it outside the transaction, so it also catches the commit."""
    written: list = []
    try:
        yield written
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise


def checked_documents(*, licence, letter) -> list[tuple[str, object, object]]:
    """Both documents judged by content (PDF, JPEG or PNG); either missing is refused."""
    if not licence or not letter:
        raise ApplicationError(
            _("Upload both the business licence and the letter of authorisation."),
            code="documents_required",
        )
    return [
        (IdentityDocument.Purpose.LICENCE, licence, check_upload(licence)),
        (IdentityDocument.Purpose.LETTER, letter, check_upload(letter)),
    ]


def store_documents(*, documents, actor, written: list, **owner) -> list[IdentityDocument]:
    """Save the checked documents for ``check_for=`` or ``dispute=`` (``owner``)."""
    stored = []
    for purpose, upload, checked in documents:
        document = IdentityDocument(
            purpose=purpose,
            original_name=(upload.name or "")[:255],
            kind=checked.kind,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
            **owner,
        )
        suffix = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}[checked.kind]
        document.file.save(f"identity{suffix}", upload, save=False)
        written.append((document.file.storage, document.file.name))
        document.save()
        stored.append(document)
    return stored


def identity_party(actor, enterprise: Enterprise) -> str | None:
    if permissions.is_member(actor, enterprise):
        return workflow.ENTERPRISE
    if permissions.is_zone_official_for(actor, enterprise):
        return workflow.ZONE
    if permissions.bank_viewing(actor, enterprise) is not None:
        return workflow.BANK
    return None


def _refused(current: Enterprise, to: str) -> ConflictError:
    return ConflictError(
        _("This is not possible now: %(status)s cannot become %(target)s.")
        % {
            "status": current.get_identity_status_display(),
            "target": IdentityStatus(to).label,
        },
        code="identity_transition_refused",
    )


def identity_transition(
    *,
    enterprise: Enterprise,
    to: str,
    actor=None,
    party: str | None = None,
    reason_code: str = "",
    note: str = "",
    documents=(),
    written: list | None = None,
) -> IdentityCheck:
    """Move the enterprise's identity along ``IDENTITY_TRANSITIONS``; a refused move
    changes nothing. Returns the check that records the move.

    ``party`` is derived from the actor; only the dispute service passes ``dispute``.
    Submitting (``documents``: from ``checked_documents``) opens a check; the zone decides
    the open one; a bank confirms it, or confirms without one from its own KYC.
    """
    party = party or identity_party(actor, enterprise)
    if party is None:
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    with transaction.atomic():
        current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        move = IDENTITY_TRANSITIONS.get((current.identity_status, to))
        if move is None or party not in move.parties:
            raise _refused(current, to)
        if move.requires_reason and reason_code not in IdentityRefusal.values:
            raise ApplicationError(_("Choose a reason."), code="reason_required")
        if move.requires_evidence and not documents:
            raise ApplicationError(
                _("Upload both the business licence and the letter of authorisation."),
                code="documents_required",
            )
        now = timezone.now()
        bank = permissions.bank_viewing(actor, current) if party == workflow.BANK else None
        check = _record_check(current, to, actor, party, reason_code, note, bank, now)
        if documents:
            store_documents(documents=documents, actor=actor, written=written, check_for=check)
        before = {"identity": current.identity_status, "source": current.identity_source}
        current.identity_status = to
        if to == IdentityStatus.CONFIRMED:
            current.identity_source = check.source
            current.identity_confirmed_at = now
        elif to == IdentityStatus.UNCONFIRMED:
            current.identity_source = ""
            current.identity_confirmed_at = None
        current.save(update_fields=["identity_status", "identity_source", "identity_confirmed_at"])
        audit_record(
            actor=actor,
            verb=f"enterprise.identity_{to}",
            target=current,
            before=before,
            after={
                "identity": to,
                "party": party,
                "source": check.source,
                "bank": bank.pk if bank else None,
                "reason_code": reason_code,
                "check": check.pk,
            },
        )
        _notify(current, check, party)
        if to == IdentityStatus.CONFIRMED:
            from ecosystem.core.outbox import send_after_commit
            from ecosystem.enterprises.tasks import verify_enterprise_claims

            rematch_later(enterprise_id=current.pk)
            send_after_commit(verify_enterprise_claims, current.pk)
    enterprise.identity_status = current.identity_status
    enterprise.identity_source = current.identity_source
    enterprise.identity_confirmed_at = current.identity_confirmed_at
    return check


_SOURCE_OF_PARTY = {
    workflow.ZONE: IdentitySource.ZONE,
    workflow.BANK: IdentitySource.BANK,
    workflow.DISPUTE: IdentitySource.DISPUTE,
}


def _record_check(current, to, actor, party, reason_code, note, bank, now) -> IdentityCheck:
    if to == IdentityStatus.SUBMITTED:
        return IdentityCheck.objects.create(
            enterprise=current,
            status=IdentityStatus.SUBMITTED,
            submitted_by=actor,
            submitted_at=now,
            note=note[:2000],
        )
    open_check = (
        IdentityCheck.objects.select_for_update()
        .filter(enterprise=current, status=IdentityStatus.SUBMITTED)
        .order_by("-pk")
        .first()
    )
    check = open_check if party in (workflow.ZONE, workflow.BANK) and open_check else None
    if check is None:
        check = IdentityCheck(enterprise=current)
    check.status = to
    check.source = _SOURCE_OF_PARTY.get(party, "") if to == IdentityStatus.CONFIRMED else ""
    check.bank = bank
    check.reason_code = reason_code
    if note:
        check.note = note[:2000]
    check.decided_by = actor
    check.decided_at = now
    check.save()
    if party == workflow.DISPUTE and open_check is not None and open_check.pk != check.pk:
        # The holder's open submission ends with the record changing hands.
        open_check.status = IdentityStatus.UNCONFIRMED
        open_check.decided_at = now
        open_check.decided_by = actor
        open_check.save(update_fields=["status", "decided_at", "decided_by"])
    return check


def _notify(enterprise: Enterprise, check: IdentityCheck, party: str) -> None:
    from django.urls import reverse

    if party == workflow.ENTERPRISE:
        notify(
            officials_of_zone(enterprise.zone_id),
            "identity_submitted",
            title=lambda: (
                _("%(name)s asks you to confirm its registrant's identity")
                % {"name": enterprise.name}
            ),
            url=reverse("zone_identity_review", args=[enterprise.pk]),
        )
        return
    if party == workflow.DISPUTE:
        return  # the dispute tells everyone what happened
    notify(
        members_of_enterprise(enterprise.pk),
        "identity_decided",
        title=lambda: (
            _("%(name)s: %(status)s")
            % {"name": enterprise.name, "status": check.get_status_display()}
        ),
        body=lambda: check.reason_label + (f" · {check.note}" if check.note else ""),
        url=reverse("enterprise_identity", args=[enterprise.pk]),
    )


def identity_submit(*, enterprise: Enterprise, actor, licence, letter, note: str = ""):
    """A member uploads the business licence and the letter of authorisation: the zone's
    officials are asked to confirm. All of it, or nothing (no file either)."""
    require_member(actor, enterprise)
    documents = checked_documents(licence=licence, letter=letter)
    with files_removed_on_failure() as written:
        return identity_transition(
            enterprise=enterprise,
            to=IdentityStatus.SUBMITTED,
            actor=actor,
            party=workflow.ENTERPRISE,
            note=note,
            documents=documents,
            written=written,
        )


def identity_decide(
    *, enterprise: Enterprise, actor, confirm: bool, reason_code: str = "", note: str = ""
) -> IdentityCheck:
    """The zone official of the enterprise's zone confirms or refuses (with a reason)."""
    if not permissions.is_zone_official_for(actor, enterprise):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    return identity_transition(
        enterprise=enterprise,
        to=IdentityStatus.CONFIRMED if confirm else IdentityStatus.REFUSED,
        actor=actor,
        party=workflow.ZONE,
        reason_code="" if confirm else reason_code,
        note=note,
    )


def identity_bank_confirm(*, enterprise: Enterprise, actor, note: str = "") -> IdentityCheck:
    """A manager or RM of a bank the firm consented to confirms the registrant from the
    bank's own corporate-account KYC; the bank is recorded as the source."""
    if permissions.bank_viewing(actor, enterprise) is None:
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    return identity_transition(
        enterprise=enterprise,
        to=IdentityStatus.CONFIRMED,
        actor=actor,
        party=workflow.BANK,
        note=note,
    )


def require_confirmed_identity(enterprise: Enterprise) -> None:
    """No claim of a firm whose registrant is unconfirmed is verified."""
    status = Enterprise.objects.filter(pk=enterprise.pk).values_list("identity_status", flat=True)[
        :1
    ]
    if not status or status[0] != IdentityStatus.CONFIRMED:
        raise ConflictError(
            _(
                "The identity of the person who registered this enterprise is not confirmed "
                "yet: confirm it before verifying its claims."
            ),
            code="identity_unconfirmed",
        )


# --- names registered under another code ---------------------------------------------------


def name_flags_raise(*, enterprise: Enterprise, actor=None) -> list[NameFlag]:
    """Flag to the zone every other firm registered under the same name (normalised,
    ``registries.names.near_key``) with another code. Call inside the registering
    transaction."""
    if not enterprise.near_key:
        return []
    others = (
        Enterprise.objects.filter(near_key=enterprise.near_key)
        .exclude(pk=enterprise.pk)
        .order_by("created_at", "pk")[:MAX_NAME_FLAGS]
    )
    flags = []
    for other in others:
        if NameFlag.objects.filter(
            enterprise=enterprise, other=other, cleared_at__isnull=True
        ).exists():
            continue
        flag = NameFlag.objects.create(enterprise=enterprise, other=other)
        audit_record(
            actor=actor,
            verb="enterprise.name_flagged",
            target=enterprise,
            after={"other": other.pk, "other_uscc": other.uscc, "name": enterprise.name},
        )
        flags.append(flag)
    if flags:
        from django.urls import reverse

        notify(
            officials_of_zone(enterprise.zone_id),
            "name_flag",
            title=lambda: (
                _("%(name)s was registered under a name another code already carries")
                % {"name": enterprise.name}
            ),
            url=reverse("zone_identity_queue"),
        )
    return flags


def name_flag_clear(*, flag: NameFlag, actor) -> NameFlag:
    """The zone official has looked at the flag (the firms are different companies, or a
    dispute is under way)."""
    if not permissions.is_zone_official_for(actor, flag.enterprise):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    with transaction.atomic():
        current = NameFlag.objects.select_for_update().get(pk=flag.pk)
        if current.cleared_at is not None:
            raise ConflictError(_("This flag was already cleared."), code="already_cleared")
        current.cleared_at = timezone.now()
        current.cleared_by = actor
        current.save(update_fields=["cleared_at", "cleared_by"])
        audit_record(
            actor=actor,
            verb="enterprise.name_flag_cleared",
            target=current.enterprise,
            after={"other": current.other_id},
        )
    return current
