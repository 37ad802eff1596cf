"""Pages of the work on the schemes: filings, compensation claims (with recoveries) and
interest subsidies, each with the moves its workflow table allows the viewer, and the fund
dashboard. The schemes' own pages are in ``views/schemes.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.accounts.scope import scope_of
from ecosystem.core.errors import ApplicationError
from ecosystem.funds import permissions, selectors, services
from ecosystem.funds.forms import ClaimForm, FilingForm, MoveForm, RecoveryForm, SubsidyApplyForm
from ecosystem.funds.models import Scheme
from ecosystem.funds.views.common import fail, get_visible
from ecosystem.funds.workflow import (
    CLAIM_TRANSITIONS,
    FILING_TRANSITIONS,
    SUBSIDY_TRANSITIONS,
    ClaimStatus,
    FilingStatus,
    SubsidyStatus,
)


def moves_for(user, *, table, choices, status, loan, scheme):
    """The moves of ``table`` from ``status`` that ``user`` may take: (target, label, move)."""
    parties = permissions.party_of(user, loan=loan, scheme=scheme)
    return [
        {"to": target, "label": choices(target).label, "move": move}
        for (source, target), move in table.items()
        if source == status and parties & move.parties
    ]


def _move(request, obj, transition, *, extra: tuple[str, ...] = ()):
    """One move of a filing, claim or subsidy application from its page's ``MoveForm``:
    ``transition(data)`` with the target, the actor, the reason and the ``extra`` fields;
    back to the object's page with what happened."""
    form = MoveForm(request.POST)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("to", "reason", *extra)}
        try:
            transition({**data, "actor": request.user})
        except ApplicationError as exc:
            fail(request, exc)
        else:
            messages.success(request, _("Done."))
    return redirect(obj.get_absolute_url())


@login_required
def work_list(request):
    """Filings, claims and subsidy applications the user may see, newest first."""
    if not permissions.can_view_work_list(request.user):
        raise Http404
    context = {
        "filings": selectors.filings_visible_to(user=request.user)[:200],
        "claims": selectors.claims_visible_to(user=request.user)[:200],
        "subsidies": selectors.subsidies_visible_to(user=request.user)[:200],
        "tab": "work",
    }
    return render(request, "funds/work_list.html", context)


@login_required
@require_POST
def filing_create(request, loan_pk: int):
    loan = get_visible(selectors.loans_reported_by(user=request.user), loan_pk)
    form = FilingForm(request.POST, schemes=selectors.schemes_visible_to(user=request.user))
    if form.is_valid():
        try:
            filing = services.filing_submit(
                loan=loan, scheme=form.cleaned_data["scheme"], actor=request.user
            )
        except ApplicationError as exc:
            fail(request, exc, form)
        else:
            messages.success(request, _("The loan is filed; the fund manager will confirm it."))
            return redirect(filing.get_absolute_url())
    for error in form.errors.get("scheme", []):
        messages.error(request, error)
    return redirect("funds:loan_detail", pk=loan.pk)


@login_required
def filing_detail(request, pk: int):
    filing = get_visible(selectors.filings_visible_to(user=request.user), pk)
    return _filing_page(request, filing)


def _filing_page(request, filing, *, status=200):
    loan = filing.loan
    may_claim = (
        filing.status == FilingStatus.CONFIRMED
        and loan.is_non_performing
        and permissions.can_report_loan(request.user, loan)
        and not filing.claims.exclude(status=ClaimStatus.REFUSED).exists()
    )
    context = {
        "filing": filing,
        "moves": moves_for(
            request.user,
            table=FILING_TRANSITIONS,
            choices=FilingStatus,
            status=filing.status,
            loan=loan,
            scheme=filing.scheme,
        ),
        "claims": filing.claims.all(),
        "claim_form": ClaimForm() if may_claim else None,
        "tab": "work",
    }
    return render(request, "funds/filing_detail.html", context, status=status)


@login_required
@require_POST
def filing_move(request, pk: int):
    filing = get_visible(selectors.filings_visible_to(user=request.user), pk)
    return _move(request, filing, lambda data: services.filing_transition(filing=filing, **data))


@login_required
@require_POST
def claim_create(request, filing_pk: int):
    filing = get_visible(selectors.filings_visible_to(user=request.user), filing_pk)
    form = ClaimForm(request.POST)
    if form.is_valid():
        try:
            claim = services.claim_submit(
                filing=filing,
                actor=request.user,
                recovery_actions=form.cleaned_data["recovery_actions"],
            )
        except ApplicationError as exc:
            fail(request, exc, form)
        else:
            messages.success(request, _("The claim is submitted."))
            return redirect(claim.get_absolute_url())
    else:
        messages.error(request, _("Describe the recovery actions taken."))
    return redirect(filing.get_absolute_url())


@login_required
def claim_detail(request, pk: int):
    claim = get_visible(selectors.claims_visible_to(user=request.user), pk)
    loan = claim.filing.loan
    moves = moves_for(
        request.user,
        table=CLAIM_TRANSITIONS,
        choices=ClaimStatus,
        status=claim.status,
        loan=loan,
        scheme=claim.filing.scheme,
    )
    if claim.reviewed_by_id == request.user.pk:  # four eyes: the reviewer does not decide
        moves = [m for m in moves if not m["move"].second_person]
    context = {
        "claim": claim,
        "moves": moves,
        "recoveries": claim.recoveries.all(),
        "recovery_form": RecoveryForm()
        if claim.status == ClaimStatus.PAID and permissions.can_report_loan(request.user, loan)
        else None,
        "tab": "work",
    }
    return render(request, "funds/claim_detail.html", context)


@login_required
@require_POST
def claim_move(request, pk: int):
    claim = get_visible(selectors.claims_visible_to(user=request.user), pk)
    return _move(
        request,
        claim,
        lambda data: services.claim_transition(claim=claim, **data),
        extra=("payment_reference",),
    )


@login_required
@require_POST
def recovery_create(request, pk: int):
    claim = get_visible(selectors.claims_visible_to(user=request.user), pk)
    form = RecoveryForm(request.POST)
    if form.is_valid():
        try:
            services.recovery_record(claim=claim, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            fail(request, exc)
        else:
            messages.success(request, _("Recovery recorded; the pool's share is refunded."))
    else:
        messages.error(request, _("Enter the amount recovered and the bank's reference."))
    return redirect(claim.get_absolute_url())


@login_required
@require_POST
def subsidy_create(request, loan_pk: int):
    loan = get_visible(selectors.loans_visible_to(user=request.user), loan_pk)
    schemes = Scheme.objects.filter(kind=Scheme.Kind.INTEREST_SUBSIDY)
    if loan.enterprise_id not in scope_of(request.user).enterprise_ids:
        raise Http404
    form = SubsidyApplyForm(request.POST, schemes=schemes)
    if form.is_valid():
        data = form.cleaned_data
        try:
            application = services.subsidy_apply(
                loan=loan,
                scheme=data["scheme"],
                actor=request.user,
                period_start=data["period_start"],
                period_end=data["period_end"],
            )
        except ApplicationError as exc:
            fail(request, exc)
        else:
            messages.success(request, _("Applied; the bank will confirm the interest paid."))
            return redirect(application.get_absolute_url())
    else:
        messages.error(request, _("Choose the scheme and the period."))
    return redirect("funds:loan_detail", pk=loan.pk)


@login_required
def subsidy_detail(request, pk: int):
    application = get_visible(selectors.subsidies_visible_to(user=request.user), pk)
    context = {
        "application": application,
        "moves": moves_for(
            request.user,
            table=SUBSIDY_TRANSITIONS,
            choices=SubsidyStatus,
            status=application.status,
            loan=application.loan,
            scheme=application.scheme,
        ),
        "tab": "work",
    }
    return render(request, "funds/subsidy_detail.html", context)


@login_required
@require_POST
def subsidy_move(request, pk: int):
    application = get_visible(selectors.subsidies_visible_to(user=request.user), pk)
    return _move(
        request,
        application,
        lambda data: services.subsidy_transition(application=application, **data),
        extra=("interest_paid",),
    )
