"""Interest subsidies: the firm applies for a period's subsidy on its loan; the bank
confirms the interest actually paid (its confirmation is the verification; by default the
interest-paid events the loan book holds for the period); a fund manager approves the
amount — rate × interest paid, within what is left of the firm's annual subsidy cap in
the scheme (the year of the period's end; a cap of 0 means none) — and records the
payment. Approval runs under a lock on the scheme row, so two approvals for one firm
cannot both use the same room under its cap."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.scope import fund_managers_of_scheme, scope_of
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record, notify
from ecosystem.funds import calculations, permissions
from ecosystem.funds.models import Filing, Loan, LoanEvent, Scheme, SubsidyApplication
from ecosystem.funds.services.common import cents, not_found
from ecosystem.funds.services.filings import eligibility
from ecosystem.funds.services.moves import check_move
from ecosystem.funds.services.schemes import version_at
from ecosystem.funds.workflow import SUBSIDY_TRANSITIONS, FilingStatus, SubsidyStatus

SUBSIDY_GRANTED = (SubsidyStatus.APPROVED.value, SubsidyStatus.PAID.value)


def interest_paid_in(loan: Loan, start: date, end: date) -> Decimal:
    """The interest the loan book records as paid between ``start`` and ``end``."""
    total = LoanEvent.objects.filter(
        loan=loan, kind=LoanEvent.Kind.INTEREST, paid_on__gte=start, paid_on__lte=end
    ).aggregate(total=Sum("amount"))["total"]
    return total or calculations.ZERO


def granted_in_year(*, scheme_id, enterprise_id, year: int, exclude=None) -> Decimal:
    granted = SubsidyApplication.objects.filter(
        scheme_id=scheme_id,
        loan__enterprise_id=enterprise_id,
        period_end__year=year,
        status__in=SUBSIDY_GRANTED,
    )
    if exclude is not None:
        granted = granted.exclude(pk=exclude)
    return granted.aggregate(total=Sum("amount"))["total"] or calculations.ZERO


def subsidy_amount(*, application: SubsidyApplication, interest_paid: Decimal) -> Decimal:
    terms = application.version
    if terms.per_firm_annual_subsidy_cap <= 0:
        return cents(terms.subsidy_rate * interest_paid)
    return calculations.subsidy(
        rate=terms.subsidy_rate,
        interest_paid=interest_paid,
        cap=terms.per_firm_annual_subsidy_cap,
        granted_this_year=granted_in_year(
            scheme_id=application.scheme_id,
            enterprise_id=application.loan.enterprise_id,
            year=application.period_end.year,
            exclude=application.pk,
        ),
    )


def subsidy_apply(
    *, loan: Loan, scheme: Scheme, actor, period_start: date, period_end: date
) -> SubsidyApplication:
    """A member of the borrowing firm applies for the subsidy of a period of its loan."""
    if loan.enterprise_id not in scope_of(actor).enterprise_ids:
        raise not_found()
    if scheme.kind != Scheme.Kind.INTEREST_SUBSIDY:
        raise ConflictError(_("This scheme pays no interest subsidy."), code="not_a_subsidy")
    if period_start > period_end or period_start < loan.disbursed_on:
        raise ApplicationError(
            _("The period must start on or after the disbursement and end after it starts."),
            code="bad_period",
            extra={"field": "period_start"},
        )
    if period_end > timezone.localdate():
        raise ApplicationError(
            _("The period cannot end in the future."),
            code="period_in_future",
            extra={"field": "period_end"},
        )
    version = version_at(scheme, period_end)
    if version is None:
        raise ConflictError(_("The scheme had no terms in force then."), code="no_terms")
    filed = Filing.objects.filter(loan=loan, status=FilingStatus.CONFIRMED).exists()
    if not filed:
        eligibility(loan=loan, version=version)  # raises the first refusal
    try:
        with transaction.atomic():
            application = SubsidyApplication.objects.create(
                loan=loan,
                scheme=scheme,
                version=version,
                period_start=period_start,
                period_end=period_end,
                interest_paid=interest_paid_in(loan, period_start, period_end),
                applied_by=actor,
            )
            audit_record(
                actor=actor,
                verb="subsidy.applied",
                target=application,
                after={"period": f"{period_start}–{period_end}", "scheme": scheme.pk},
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("An application for this period is already open."), code="subsidy_exists"
        ) from exc
    from ecosystem.funds.selectors import bank_people_of_loan

    names = {"reference": loan.reference, "scheme": scheme.name}
    notify(
        list(bank_people_of_loan(loan)),
        "funds.subsidy_applied",
        title=lambda: _("Confirm the interest paid on %(reference)s (%(scheme)s)") % names,
        url=application.get_absolute_url(),
    )
    return application


def subsidy_transition(
    *,
    application: SubsidyApplication,
    to: str,
    actor,
    reason: str = "",
    interest_paid: Decimal | None = None,
) -> SubsidyApplication:
    """The bank confirms the interest paid (or refuses, with a reason); a fund manager
    approves the computed amount (or refuses) and records the payment."""
    if not permissions.can_view_subsidy(actor, application):
        raise not_found()
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=application.scheme_id)
        application = (
            SubsidyApplication.objects.select_for_update()
            .select_related("loan", "loan__lead", "version")
            .get(pk=application.pk)
        )
        check_move(
            table=SUBSIDY_TRANSITIONS,
            choices=SubsidyStatus,
            source=application.status,
            target=to,
            parties=permissions.party_of(actor, loan=application.loan, scheme=scheme),
            reason=reason,
        )
        before = {"status": application.status}
        now = timezone.now()
        fields = ["status", "updated_at"]
        if to == SubsidyStatus.CONFIRMED:
            paid = (
                cents(Decimal(interest_paid))
                if interest_paid is not None
                else interest_paid_in(
                    application.loan, application.period_start, application.period_end
                )
            )
            if paid <= 0:
                raise ApplicationError(
                    _("Enter the interest actually paid in the period."),
                    code="no_interest_paid",
                    extra={"field": "interest_paid"},
                )
            application.interest_paid = paid
            application.confirmed_by, application.confirmed_at = actor, now
            fields += ["interest_paid", "confirmed_by", "confirmed_at"]
        elif to == SubsidyStatus.APPROVED:
            amount = subsidy_amount(
                application=application, interest_paid=application.interest_paid
            )
            if amount <= 0:
                raise ConflictError(
                    _("The firm's subsidy cap for the year is used up."), code="subsidy_cap_used"
                )
            application.amount = amount
            application.approved_by, application.approved_at = actor, now
            fields += ["amount", "approved_by", "approved_at"]
        elif to == SubsidyStatus.PAID:
            application.paid_at = now
            fields.append("paid_at")
        if to == SubsidyStatus.REFUSED:
            application.reason = reason.strip()
            fields.append("reason")
        application.status = to
        application.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb=f"subsidy.{to}",
            target=application,
            before=before,
            after={
                "status": to,
                "interest_paid": str(application.interest_paid),
                "amount": str(application.amount),
            },
        )
        if to == SubsidyStatus.CONFIRMED:
            names = {"reference": application.loan.reference}
            notify(
                list(fund_managers_of_scheme(scheme.pk)),
                "funds.subsidy_confirmed",
                title=lambda: _("An interest subsidy awaits approval: %(reference)s") % names,
                url=application.get_absolute_url(),
            )
        elif application.applied_by_id:
            names = {"status": application.get_status_display()}
            notify(
                application.applied_by,
                f"funds.subsidy_{to}",
                title=lambda: _("Your interest subsidy application: %(status)s") % names,
                body=application.reason,
                url=application.get_absolute_url(),
            )
    return application
