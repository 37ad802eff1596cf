"""Compensation claims on non-performing filed loans, and the recoveries that refund the
pool.

The bank claims on a confirmed filing whose loan is non-performing (substandard or worse,
or 90+ days past due), with the outstanding principal and its recovery actions; a fund
manager reviews it within ``CLAIM_REVIEW_DAYS`` working days, and a *second* fund manager
approves or refuses it (four eyes). On approval the amount is computed — share ×
principal within what is left of the bank's cumulative cap and of the fund — with the
scheme row locked, so two approvals racing for the last of the fund cannot both take it
and the fund never goes below zero. Payment is recorded once; a recovery afterwards
refunds the pool's share of it."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.scope import fund_managers_of_scheme
from ecosystem.core import races
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record, notify
from ecosystem.core.worktime import add_working_days
from ecosystem.funds import calculations, permissions
from ecosystem.funds.models import CompensationClaim, Filing, Recovery, Scheme
from ecosystem.funds.services.common import cents, not_found
from ecosystem.funds.services.moves import check_move
from ecosystem.funds.services.schemes import version_at
from ecosystem.funds.workflow import CLAIM_COMMITTED, CLAIM_TRANSITIONS, ClaimStatus, FilingStatus

#: Working days a fund manager has to review a claim.
CLAIM_REVIEW_DAYS = 10


def _sum(queryset, field: str) -> Decimal:
    return queryset.aggregate(total=Sum(field))["total"] or calculations.ZERO


def fund_committed(scheme_id, *, bank_id=None) -> Decimal:
    """Compensation approved or paid from the scheme, net of refunds (for one bank if
    ``bank_id``)."""
    claims = CompensationClaim.objects.filter(
        filing__scheme_id=scheme_id, status__in=CLAIM_COMMITTED
    )
    if bank_id is not None:
        claims = claims.filter(filing__loan__bank_id=bank_id)
    refunds = Recovery.objects.filter(claim__in=claims)
    return _sum(claims, "amount") - _sum(refunds, "refund")


def claim_submit(*, filing: Filing, actor, recovery_actions: str) -> CompensationClaim:
    """The bank side claims on a confirmed filing whose loan is non-performing."""
    if not permissions.can_view_filing(actor, filing) or not permissions.can_report_loan(
        actor, filing.loan
    ):
        raise not_found()
    if not (recovery_actions or "").strip():
        raise ApplicationError(
            _("Describe the recovery actions taken."),
            code="no_recovery_actions",
            extra={"field": "recovery_actions"},
        )
    with transaction.atomic():
        filing = (
            Filing.objects.select_for_update()
            .select_related("loan", "version", "scheme")
            .get(pk=filing.pk)
        )
        if filing.status != FilingStatus.CONFIRMED:
            raise ConflictError(
                _("Only a confirmed filing can be claimed on."), code="filing_not_confirmed"
            )
        loan = filing.loan
        if not loan.is_non_performing:
            raise ConflictError(
                _(
                    "The loan is performing: a claim needs it substandard or worse, "
                    "or 90 or more days past due."
                ),
                code="loan_performing",
            )
        share = filing.version.compensation_share
        try:
            with transaction.atomic():
                claim = CompensationClaim.objects.create(
                    filing=filing,
                    principal=loan.outstanding_principal,
                    share=share,
                    requested=cents(share * loan.outstanding_principal),
                    recovery_actions=recovery_actions.strip(),
                    submitted_by=actor,
                    review_due_at=add_working_days(timezone.now(), CLAIM_REVIEW_DAYS),
                )
        except IntegrityError as exc:
            raise ConflictError(
                _("A claim on this filing is already open."), code="claim_exists"
            ) from exc
        audit_record(
            actor=actor,
            verb="compensation_claim.submitted",
            target=claim,
            after={"principal": str(claim.principal), "requested": str(claim.requested)},
        )
        names = {"reference": loan.reference, "scheme": filing.scheme.name}
        notify(
            list(fund_managers_of_scheme(filing.scheme_id)),
            "funds.claim_submitted",
            title=lambda: _("Compensation claimed on %(reference)s (%(scheme)s)") % names,
            url=claim.get_absolute_url(),
        )
    return claim


def claim_transition(
    *, claim: CompensationClaim, to: str, actor, reason: str = "", payment_reference: str = ""
) -> CompensationClaim:
    """Review, approve (a second fund manager; the amount computed under the scheme's
    lock), refuse (a reason) or record the payment. A refused move changes nothing."""
    if not permissions.can_view_claim(actor, claim):
        raise not_found()
    scheme_id = Filing.objects.values_list("scheme_id", flat=True).get(pk=claim.filing_id)
    with transaction.atomic():
        # The scheme row first, always: every move that commits money is serialised on it.
        scheme = Scheme.objects.select_for_update().get(pk=scheme_id)
        # Only the claim's own row: the joined rows (shared by other claims: the terms'
        # version, the lead) must not serialise unrelated moves; the scheme's lock does.
        claim = (
            CompensationClaim.objects.select_for_update(of=("self",))
            .select_related("filing", "filing__loan", "filing__loan__lead", "filing__version")
            .get(pk=claim.pk)
        )
        filing = claim.filing
        check_move(
            table=CLAIM_TRANSITIONS,
            choices=ClaimStatus,
            source=claim.status,
            target=to,
            parties=permissions.party_of(actor, loan=filing.loan, scheme=scheme),
            reason=reason,
            actor=actor,
            previous_actor_id=claim.reviewed_by_id,
        )
        before = {"status": claim.status, "amount": str(claim.amount)}
        now = timezone.now()
        fields = ["status", "updated_at"]
        if to == ClaimStatus.REVIEWED:
            claim.reviewed_by, claim.reviewed_at = actor, now
            fields += ["reviewed_by", "reviewed_at"]
        elif to == ClaimStatus.APPROVED:
            claim.amount = _approved_amount(claim, scheme)
            claim.approved_by, claim.approved_at = actor, now
            fields += ["amount", "approved_by", "approved_at"]
        elif to == ClaimStatus.PAID:
            payment_reference = (payment_reference or "").strip()
            if not payment_reference:
                raise ApplicationError(
                    _("Enter the payment's reference."),
                    code="no_payment_reference",
                    extra={"field": "payment_reference"},
                )
            claim.paid_by, claim.paid_at = actor, now
            claim.payment_reference = payment_reference
            fields += ["paid_by", "paid_at", "payment_reference"]
        if to == ClaimStatus.REFUSED:
            claim.reason = reason.strip()
            fields.append("reason")
        if to == ClaimStatus.APPROVED:
            races.race_window("claim_approval")
        claim.status = to
        claim.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb=f"compensation_claim.{to}",
            target=claim,
            before=before,
            after={"status": to, "amount": str(claim.amount), "reason": claim.reason},
        )
        if claim.submitted_by_id and to != ClaimStatus.REVIEWED:
            names = {"reference": filing.loan.reference, "status": claim.get_status_display()}
            notify(
                claim.submitted_by,
                f"funds.claim_{to}",
                title=lambda: _("Compensation claim on %(reference)s: %(status)s") % names,
                body=claim.reason,
                url=claim.get_absolute_url(),
            )
    return claim


def _approved_amount(claim: CompensationClaim, scheme: Scheme) -> Decimal:
    """Share × principal within the bank's cumulative cap (the filing's terms) and the
    fund's remaining money (the terms in force today); none left refuses the approval."""
    terms = claim.filing.version
    current = version_at(scheme, timezone.localdate()) or terms
    amount = calculations.compensation(
        share=claim.share,
        principal=claim.principal,
        bank_compensated=fund_committed(scheme.pk, bank_id=claim.filing.loan.bank_id),
        cumulative_cap=terms.cumulative_cap,
        fund_size=current.fund_size,
        fund_committed=fund_committed(scheme.pk),
    )
    if amount <= 0:
        raise ConflictError(
            _("Nothing is left of the fund or of the bank's cumulative cap for this claim."),
            code="fund_exhausted",
        )
    return amount


def recovery_record(
    *, claim: CompensationClaim, actor, recovered: Decimal, reference: str
) -> tuple[Recovery, bool]:
    """The bank reports money recovered on a paid claim; the pool's share is refunded (at
    most what the claim paid and was not refunded yet). The same reference again is a
    no-op (returns the recovery and False), with another figure a conflict."""
    if not permissions.can_view_claim(actor, claim) or not permissions.can_report_loan(
        actor, claim.filing.loan
    ):
        raise not_found()
    reference = (reference or "").strip()
    if not reference:
        raise ApplicationError(
            _("Enter the bank's reference of the recovery."),
            code="no_reference",
            extra={"field": "reference"},
        )
    recovered = cents(Decimal(recovered))
    if recovered <= 0:
        raise ApplicationError(
            _("The amount must be positive."),
            code="amount_not_positive",
            extra={"field": "recovered"},
        )
    with transaction.atomic():
        Scheme.objects.select_for_update().get(pk=claim.filing.scheme_id)
        claim = CompensationClaim.objects.select_for_update().get(pk=claim.pk)
        existing = Recovery.objects.filter(claim=claim, reference=reference).first()
        if existing is not None:
            if existing.recovered != recovered:
                raise ConflictError(
                    _("Recovery %(reference)s was already recorded with another amount.")
                    % {"reference": reference},
                    code="recovery_reference_taken",
                )
            return existing, False
        if claim.status != ClaimStatus.PAID:
            raise ConflictError(_("Recoveries refund a paid claim only."), code="claim_not_paid")
        refunded = _sum(claim.recoveries.all(), "refund")
        refund = calculations.refund(
            share=claim.share, recovered=recovered, claim_amount=claim.amount, refunded=refunded
        )
        recovery = Recovery.objects.create(
            claim=claim, recovered=recovered, refund=refund, reference=reference, recorded_by=actor
        )
        audit_record(
            actor=actor,
            verb="compensation_claim.recovery_recorded",
            target=claim,
            after={"recovered": str(recovered), "refund": str(refund), "reference": reference},
        )
    return recovery, True
