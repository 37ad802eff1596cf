"""The loan book: open a disbursed lead's loan, report its status, record its payments.

A report identical to the loan's latest one changes nothing (re-sending is safe); an
older report is kept in the history without overriding a newer state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.scope import fund_managers_of_scheme
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record, notify
from ecosystem.funds import permissions
from ecosystem.funds.models import Filing, Loan, LoanEvent, LoanReport
from ecosystem.funds.services.common import not_found
from ecosystem.funds.workflow import FILING_HOLDS_HEADROOM, Classification

STATE_FIELDS = ("outstanding_principal", "next_due_date", "days_past_due", "classification")
_CLASSIFICATIONS = frozenset(Classification.values)


@dataclass(frozen=True)
class Status:
    """One status of a loan as a bank reports it."""

    as_of: date
    outstanding_principal: Decimal
    days_past_due: int
    classification: str
    next_due_date: date | None = None


def _field_error(message, field: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=code, extra={"field": field})


def check_status(status: Status, *, principal: Decimal, disbursed_on: date) -> None:
    """Refuse a status no loan can have; raise with the field at fault."""
    if status.classification not in _CLASSIFICATIONS:
        raise _field_error(
            _("The classification must be one of: %(labels)s.")
            % {"labels": " / ".join(str(label) for label in Classification.labels)},
            "classification",
            "bad_classification",
        )
    if status.outstanding_principal < 0 or status.outstanding_principal > principal:
        raise _field_error(
            _("The outstanding principal must be between 0 and the ¥%(principal)s disbursed.")
            % {"principal": f"{principal:,.2f}"},
            "outstanding_principal",
            "outstanding_out_of_range",
        )
    if status.days_past_due < 0:
        raise _field_error(_("Days past due cannot be negative."), "days_past_due", "negative_days")
    if status.as_of < disbursed_on or status.as_of > timezone.localdate():
        raise _field_error(
            _("The status date must be between the disbursement and today."),
            "as_of",
            "as_of_out_of_range",
        )


def loan_open(
    *, lead, actor, reference: str, status: Status | None = None, source: str = "page"
) -> Loan:
    """The bank side opens the loan of a disbursed lead under its own loan reference; the
    principal, date, term and rate come from the disbursement and the accepted offer."""
    from ecosystem.financing.models import Lead

    if not permissions.can_open_loan(actor, lead):
        raise not_found()
    reference = (reference or "").strip()
    if not reference:
        raise _field_error(_("Enter the bank's loan reference."), "reference", "no_reference")
    with transaction.atomic():
        lead = (
            Lead.objects.select_for_update(of=("self",))
            .select_related("disbursement")
            .get(pk=lead.pk)
        )
        disbursement = getattr(lead, "disbursement", None)
        if lead.status != Lead.Status.DISBURSED or disbursement is None:
            raise ConflictError(_("The loan is not disbursed yet."), code="not_disbursed")
        if Loan.objects.filter(lead=lead).exists():
            raise ConflictError(_("This lead already has its loan."), code="loan_exists")
        if Loan.objects.filter(bank_id=lead.bank_id, reference=reference).exists():
            raise _field_error(
                _("Another loan of the bank has this reference."), "reference", "reference_taken"
            )
        status = status or Status(
            as_of=disbursement.disbursed_on,
            outstanding_principal=disbursement.amount,
            days_past_due=0,
            classification=Classification.NORMAL,
        )
        check_status(status, principal=disbursement.amount, disbursed_on=disbursement.disbursed_on)
        offer = disbursement.offer
        try:
            with transaction.atomic():
                loan = Loan.objects.create(
                    bank_id=lead.bank_id,
                    lead=lead,
                    enterprise_id=lead.enterprise_id,
                    reference=reference,
                    principal=disbursement.amount,
                    disbursed_on=disbursement.disbursed_on,
                    term_months=offer.term_months,
                    annual_rate=offer.rate,
                    outstanding_principal=status.outstanding_principal,
                    next_due_date=status.next_due_date,
                    days_past_due=status.days_past_due,
                    classification=status.classification,
                    reported_on=status.as_of,
                )
        except IntegrityError as exc:
            raise ConflictError(_("This lead already has its loan."), code="loan_exists") from exc
        _history(loan, status, actor, source)
        audit_record(
            actor=actor,
            verb="loan.opened",
            target=loan,
            after={"reference": reference, "principal": str(loan.principal), "source": source},
        )
    return loan


def _history(loan: Loan, status: Status, actor, source: str) -> LoanReport:
    return LoanReport.objects.create(
        loan=loan,
        as_of=status.as_of,
        outstanding_principal=status.outstanding_principal,
        next_due_date=status.next_due_date,
        days_past_due=status.days_past_due,
        classification=status.classification,
        source=source,
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def loan_report(
    *, loan: Loan, actor, status: Status, source: str = "page", audit: bool = True
) -> str:
    """Record a status report; returns "updated", "history" (an older date: kept, the
    loan's state unchanged) or "unchanged" (the same as the latest report)."""
    if not permissions.can_report_loan(actor, loan):
        raise not_found()
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        outcome = apply_report(loan=loan, actor=actor, status=status, source=source)
        if audit and outcome != "unchanged":
            audit_record(
                actor=actor,
                verb="loan.reported",
                target=loan,
                after={
                    "as_of": status.as_of.isoformat(),
                    "outstanding_principal": str(status.outstanding_principal),
                    "days_past_due": status.days_past_due,
                    "classification": status.classification,
                    "source": source,
                },
            )
    return outcome


def apply_report(*, loan: Loan, actor, status: Status, source: str) -> str:
    """The report's effect on a locked loan (the caller checked the actor and locks)."""
    check_status(status, principal=loan.principal, disbursed_on=loan.disbursed_on)
    latest = loan.reports.order_by("-as_of", "-id").first()
    same = latest is not None and (
        latest.as_of,
        latest.outstanding_principal,
        latest.next_due_date,
        latest.days_past_due,
        latest.classification,
    ) == (
        status.as_of,
        Decimal(status.outstanding_principal),
        status.next_due_date,
        status.days_past_due,
        status.classification,
    )
    older = status.as_of < loan.reported_on
    if older and not same:  # an older report sent again is already in the history
        same = loan.reports.filter(
            as_of=status.as_of,
            outstanding_principal=status.outstanding_principal,
            next_due_date=status.next_due_date,
            days_past_due=status.days_past_due,
            classification=status.classification,
        ).exists()
    if same:
        return "unchanged"
    _history(loan, status, actor, source)
    if older:
        return "history"
    was_non_performing = loan.is_non_performing
    loan.outstanding_principal = status.outstanding_principal
    loan.next_due_date = status.next_due_date
    loan.days_past_due = status.days_past_due
    loan.classification = status.classification
    loan.reported_on = status.as_of
    loan.save(update_fields=[*STATE_FIELDS, "reported_on", "updated_at"])
    if loan.is_non_performing and not was_non_performing:
        tell_fund_managers(loan)
    return "updated"


def tell_fund_managers(loan: Loan) -> None:
    """A filed loan turned non-performing: its pool's fund managers hear of it."""
    for filing in Filing.objects.filter(loan=loan, status__in=FILING_HOLDS_HEADROOM).select_related(
        "scheme"
    ):
        names = {"reference": loan.reference, "scheme": filing.scheme.name}
        notify(
            list(fund_managers_of_scheme(filing.scheme_id)),
            "funds.loan_non_performing",
            title=lambda names=names: (
                _("A filed loan is non-performing: %(reference)s (%(scheme)s)") % names
            ),
            url=filing.get_absolute_url(),
        )


def loan_event_record(
    *,
    loan: Loan,
    actor,
    kind: str,
    amount: Decimal,
    paid_on: date,
    reference: str,
    source: str = "page",
) -> tuple[LoanEvent, bool]:
    """Record a repayment or an interest payment; the same reference again is a no-op
    (returns the event and False), with other figures a conflict."""
    if not permissions.can_report_loan(actor, loan):
        raise not_found()
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        return apply_event(
            loan=loan,
            actor=actor,
            kind=kind,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
            source=source,
        )


def apply_event(*, loan, actor, kind, amount, paid_on, reference, source):
    reference = (reference or "").strip()
    if kind not in LoanEvent.Kind.values:
        raise _field_error(_("Choose principal repaid or interest paid."), "kind", "bad_kind")
    if not reference:
        raise _field_error(
            _("Enter the bank's payment reference."), "reference", "no_event_reference"
        )
    amount = Decimal(amount)
    if amount <= 0:
        raise _field_error(_("The amount must be positive."), "amount", "amount_not_positive")
    if paid_on < loan.disbursed_on or paid_on > timezone.localdate():
        raise _field_error(
            _("The payment date must be between the disbursement and today."),
            "paid_on",
            "paid_on_out_of_range",
        )
    existing = LoanEvent.objects.filter(loan=loan, kind=kind, reference=reference).first()
    if existing is not None:
        if (existing.amount, existing.paid_on) != (amount, paid_on):
            raise ConflictError(
                _("Payment %(reference)s was already recorded with other figures.")
                % {"reference": reference},
                code="event_reference_taken",
            )
        return existing, False
    event = LoanEvent.objects.create(
        loan=loan,
        kind=kind,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        source=source,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return event, True
