"""Qualification claims: drafts, evidence, submission and the one transition service."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.notices import bilingual, code_label, msg
from ecosystem.core.services import audit_record, model_snapshot, notify, validated
from ecosystem.core.uploads import check_upload
from ecosystem.enterprises import permissions, workflow
from ecosystem.enterprises.models import ClaimRevision, Evidence, QualificationClaim
from ecosystem.enterprises.services.common import rematch_later, require_member
from ecosystem.enterprises.summary import summary_sync
from ecosystem.enterprises.verified_programs import verified_sync
from ecosystem.enterprises.waiting import CLAIMS, waiting_sync
from ecosystem.enterprises.workflow import ClaimStatus

CLAIM_FIELDS = ("program", "certificate_number", "year", "valid_until")
MAX_EVIDENCE_FILES = 10
#: Claims in these states block another claim for the same program.
_OPEN = [
    s
    for s in ClaimStatus.values
    if s not in (ClaimStatus.REJECTED, ClaimStatus.EXPIRED, ClaimStatus.REVOKED)
]


#: Moves after which a recorded disagreement with the list no longer stands (a decision,
#: or a resubmission the lists are checked against again).
_MISMATCH_SETTLED = frozenset(
    {
        ClaimStatus.VERIFIED,
        ClaimStatus.REJECTED,
        ClaimStatus.REVOKED,
        ClaimStatus.EXPIRED,
        ClaimStatus.RESUBMITTED,
    }
)


@contextmanager
def _files_removed_on_failure():
    """Evidence files written inside the block are deleted again when the block fails, so
    a rolled-back claim leaves no orphan file in private storage. Use it outside the
    transaction: it also catches a failing commit."""
    written: list = []
    try:
        yield written
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise


def claim_create(
    *,
    enterprise,
    actor,
    program,
    certificate_number: str,
    year: int,
    valid_until=None,
    uploads=(),
) -> QualificationClaim:
    """A draft claim with its evidence files: all of it, or nothing (no file either)."""
    require_member(actor, enterprise)
    if QualificationClaim.objects.filter(
        enterprise=enterprise, program=program, status__in=_OPEN
    ).exists():
        raise ConflictError(
            _("There is already an open claim for this program."), code="duplicate_claim"
        )
    claim = validated(
        QualificationClaim(
            enterprise=enterprise,
            program=program,
            certificate_number=certificate_number.strip(),
            year=year,
            valid_until=valid_until,
            created_by=actor,
        )
    )
    checked = [check_upload(upload) for upload in uploads]
    _check_file_count(len(checked))
    with _files_removed_on_failure() as written, transaction.atomic():
        claim.save()
        audit_record(
            actor=actor,
            verb="claim.created",
            target=claim,
            after=model_snapshot(claim, CLAIM_FIELDS),
        )
        for upload, result in zip(uploads, checked, strict=True):
            _store_evidence(claim, actor, upload, result, written)
    return claim


def _check_file_count(count: int) -> None:
    if count > MAX_EVIDENCE_FILES:
        raise ApplicationError(
            _("A claim holds at most %(count)d files.") % {"count": MAX_EVIDENCE_FILES},
            code="too_many_files",
        )


def _lock_editable(claim: QualificationClaim) -> QualificationClaim:
    current = QualificationClaim.objects.select_for_update().get(pk=claim.pk)
    if current.status not in workflow.EDITABLE:
        raise ConflictError(
            _("This claim is %(status)s and can no longer be changed.")
            % {"status": current.get_status_display()},
            code="not_editable",
        )
    return current


def claim_update(
    *, claim: QualificationClaim, actor, expected_version: int | None = None, **changes
) -> QualificationClaim:
    require_member(actor, claim.enterprise)
    if set(changes) - set(CLAIM_FIELDS):
        raise ApplicationError(_("Unknown fields."), code="unknown_fields")
    with transaction.atomic():
        current = _lock_editable(claim)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(_("Someone else saved this claim meanwhile."), code="stale_version")
        before = model_snapshot(current, CLAIM_FIELDS)
        for name, value in changes.items():
            setattr(current, name, value)
        validated(current)
        current.version += 1
        current.save(update_fields=[*changes, "version", "updated_at"])
        audit_record(
            actor=actor,
            verb="claim.updated",
            target=current,
            before=before,
            after=model_snapshot(current, CLAIM_FIELDS),
        )
    return current


def _store_evidence(claim, actor, upload, checked, written: list) -> Evidence:
    evidence = Evidence(
        claim=claim,
        original_name=(upload.name or "")[:255],
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    suffix = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}[checked.kind]
    evidence.file.save(f"upload{suffix}", upload, save=False)
    written.append((evidence.file.storage, evidence.file.name))
    evidence.save()
    audit_record(
        actor=actor,
        verb="evidence.added",
        target=claim,
        after={"evidence": evidence.pk, "sha256": checked.sha256},
    )
    return evidence


def evidence_add_many(*, claim: QualificationClaim, actor, uploads) -> list[Evidence]:
    """Attach PDFs, JPEGs or PNGs, judged by content, at most 10 MB each: all of them or
    none (a failure leaves neither rows nor files)."""
    require_member(actor, claim.enterprise)
    checked = [check_upload(upload) for upload in uploads]
    with _files_removed_on_failure() as written, transaction.atomic():
        current = _lock_editable(claim)
        _check_file_count(current.evidence.count() + len(checked))
        return [
            _store_evidence(current, actor, upload, result, written)
            for upload, result in zip(uploads, checked, strict=True)
        ]


def evidence_add(*, claim: QualificationClaim, actor, upload) -> Evidence:
    """Attach one PDF, JPEG or PNG, judged by content, at most 10 MB."""
    (evidence,) = evidence_add_many(claim=claim, actor=actor, uploads=[upload])
    return evidence


def evidence_remove(*, evidence: Evidence, actor) -> None:
    require_member(actor, evidence.claim.enterprise)
    with transaction.atomic():
        _lock_editable(evidence.claim)
        name = evidence.file.name
        audit_record(
            actor=actor,
            verb="evidence.removed",
            target=evidence.claim,
            before={"evidence": evidence.pk, "sha256": evidence.sha256},
        )
        evidence.delete()
        storage = evidence.file.storage
        transaction.on_commit(lambda: storage.delete(name))


def claim_party(actor, claim: QualificationClaim) -> str | None:
    if actor is None:
        return workflow.SYSTEM
    if permissions.is_member(actor, claim.enterprise):
        return workflow.ENTERPRISE
    if permissions.is_zone_official_for(actor, claim.enterprise):
        return workflow.ZONE
    return None


def claim_transition(
    *,
    claim: QualificationClaim,
    to: str,
    actor=None,
    party: str | None = None,
    reason_code: str = "",
    reason_text: str = "",
    message: str = "",
    registry_entry=None,
) -> QualificationClaim:
    """Move a claim along the workflow table. A refused move changes nothing.

    ``party`` is derived from the actor; only system code passes ``registry`` or ``system``.
    A registry decision cites the ``registry_entry`` that proves (or no longer proves) it.
    """
    party = party or claim_party(actor, claim)
    if party is None:
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    with transaction.atomic():
        current = (
            QualificationClaim.objects.select_for_update()
            .select_related("enterprise", "program")
            .get(pk=claim.pk)
        )
        move = workflow.TRANSITIONS.get((current.status, to))
        if move is None or party not in move.parties:
            if current.decided_at and current.status not in workflow.AWAITING_DECISION:
                raise ConflictError(
                    _("Already decided by %(who)s at %(when)s: %(status)s.")
                    % {
                        "who": current.decided_by or _("the registry"),
                        "when": timezone.localtime(current.decided_at).strftime("%Y-%m-%d %H:%M"),
                        "status": current.get_status_display(),
                    },
                    code="already_decided",
                )
            raise ConflictError(
                _("A claim that is %(status)s cannot become %(target)s.")
                % {"status": current.get_status_display(), "target": ClaimStatus(to).label},
                code="transition_refused",
            )
        if move.requires_reason and not reason_code.strip():
            raise ApplicationError(_("Choose a reason code."), code="reason_required")
        if move.requires_reason and not _reason_exists(reason_code):
            raise ApplicationError(_("Unknown reason code."), code="bad_reason")
        if move.requires_message and not message.strip():
            raise ApplicationError(_("Write what information is needed."), code="message_required")
        if to == ClaimStatus.VERIFIED:
            from ecosystem.enterprises.services.identity import require_confirmed_identity

            require_confirmed_identity(current.enterprise)
        if move.requires_evidence and not current.evidence.exists():
            raise ApplicationError(
                _("Attach at least one evidence file first."), code="evidence_required"
            )
        before = {"status": current.status}
        now = timezone.now()
        fields = ["status", "updated_at", "version"]
        current.status = to
        current.version += 1
        if to in (ClaimStatus.SUBMITTED, ClaimStatus.RESUBMITTED):
            current.submitted_at = now
            fields.append("submitted_at")
        if to in (ClaimStatus.VERIFIED, ClaimStatus.REJECTED, ClaimStatus.NEEDS_INFO):
            current.decided_at = now
            current.decided_by = actor
            current.reason_code = reason_code
            current.reason_text = reason_text or message
            fields += ["decided_at", "decided_by", "reason_code", "reason_text"]
        if to in (ClaimStatus.EXPIRED, ClaimStatus.REVOKED) and reason_text:
            current.reason_text = reason_text
            fields.append("reason_text")
        if current.list_mismatch and to in _MISMATCH_SETTLED:
            current.list_mismatch = {}
            fields.append("list_mismatch")
        if registry_entry is not None:
            current.registry_entry = registry_entry
            fields.append("registry_entry")
        current.save(update_fields=fields)
        if to in (ClaimStatus.SUBMITTED, ClaimStatus.RESUBMITTED):
            _revision(current, actor, message)
        audit_record(
            actor=actor,
            verb=f"claim.{to}",
            target=current,
            before=before,
            after={
                "status": to,
                "party": party,
                "reason_code": reason_code,
                "reason_text": reason_text or message,
            },
        )
        if ClaimStatus.VERIFIED in (before["status"], to):
            summary_sync(enterprise_ids=[current.enterprise_id])  # the zone's verified count
            verified_sync(enterprise_ids=[current.enterprise_id])  # and per program
        if {before["status"], to} & workflow.AWAITING_DECISION:
            # the zone's review backlog (its claims; the firm's years did not move)
            waiting_sync(enterprise_ids=[current.enterprise_id], backlogs=(CLAIMS,))
        rematch_later(enterprise_id=current.enterprise_id)
        _notify_enterprise(current, party)
    return current


def _reason_exists(code: str) -> bool:
    from ecosystem.zones.models import RejectionReason

    return RejectionReason.objects.filter(code=code, is_active=True).exists()


def _revision(claim: QualificationClaim, actor, message: str) -> ClaimRevision:
    number = (claim.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    data = model_snapshot(claim, CLAIM_FIELDS)
    data["evidence"] = list(claim.evidence.values_list("sha256", flat=True))
    return ClaimRevision.objects.create(
        claim=claim, number=number, data=data, message=message, created_by=actor
    )


def _notify_enterprise(claim: QualificationClaim, party: str) -> None:
    if party == workflow.ENTERPRISE:
        return
    from ecosystem.accounts.scope import members_of_enterprise

    notify(
        members_of_enterprise(claim.enterprise_id),
        "claim_status",
        # Each member reads the program and status in their language, whenever they look.
        title=msg(
            gettext_noop("%(program)s claim: %(status)s"),
            program=bilingual(claim.program),
            status=code_label("claim_status", claim.status),
        ),
        body=claim.reason_text,
        url=claim.get_absolute_url(),
    )


def claim_submit(*, claim: QualificationClaim, actor, message: str = "") -> QualificationClaim:
    """Submit a draft, or resubmit after a request for information or a rejection (a new
    revision; the earlier decision stays in the history). After commit, the
    official lists are checked: a claim they prove is verified at once."""
    from ecosystem.core.outbox import send_after_commit
    from ecosystem.enterprises.tasks import verify_claim

    status = QualificationClaim.objects.filter(pk=claim.pk).values_list("status", flat=True).first()
    if status == ClaimStatus.REJECTED and (
        QualificationClaim.objects.filter(
            enterprise_id=claim.enterprise_id, program_id=claim.program_id, status__in=_OPEN
        )
        .exclude(pk=claim.pk)
        .exists()
    ):
        raise ConflictError(
            _("There is already an open claim for this program."), code="duplicate_claim"
        )
    target = ClaimStatus.RESUBMITTED if status in workflow.RESUBMITTABLE else ClaimStatus.SUBMITTED
    claim = claim_transition(claim=claim, to=target, actor=actor, message=message)
    send_after_commit(verify_claim, claim.pk)
    return claim


def claims_expire(*, today=None) -> int:
    """Verified claims past their validity become expired (daily beat task); idempotent."""
    today = today or timezone.localdate()
    count = 0
    for claim in QualificationClaim.objects.filter(
        status=ClaimStatus.VERIFIED, valid_until__lt=today
    ):
        claim_transition(claim=claim, to=ClaimStatus.EXPIRED, party=workflow.SYSTEM)
        count += 1
    return count
