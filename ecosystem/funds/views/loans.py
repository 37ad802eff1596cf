"""The loan book's pages: a loan and its history, the bank's reports and payments, the
file upload, the list of one's loans and a zone's figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.accounts.scope import scope_of
from ecosystem.core.errors import ApplicationError
from ecosystem.funds import permissions, selectors, services
from ecosystem.funds.forms import LoanEventForm, LoanOpenForm, LoanStatusForm, LoanUploadForm
from ecosystem.funds.services.loan_files import read_loan_file


def _loan(request, pk):
    loan = selectors.loans_visible_to(user=request.user).filter(pk=pk).first()
    if loan is None:
        raise Http404
    return loan


def _bank_lead(request, lead_pk):
    from ecosystem.financing.models import Lead
    from ecosystem.financing.permissions import bank_leads_q

    lead = Lead.objects.filter(bank_leads_q(scope_of(request.user)), pk=lead_pk).first()
    if lead is None:
        raise Http404
    return lead


def _lead_url(loan_or_lead) -> str:
    lead_pk = getattr(loan_or_lead, "lead_id", None) or loan_or_lead.pk
    return reverse("financing_lead_detail", args=[lead_pk])


def _detail(request, loan, *, status_form=None, event_form=None, status=200):
    may_report = permissions.can_report_loan(request.user, loan)
    context = {
        "loan": loan,
        "reports": loan.reports.select_related("reported_by").order_by("-as_of", "-id"),
        "events": loan.events.order_by("-paid_on", "-id"),
        "may_report": may_report,
        "status_form": status_form or (LoanStatusForm(prefix="status") if may_report else None),
        "event_form": event_form or (LoanEventForm(prefix="event") if may_report else None),
        **_fund_forms(request.user, loan, may_report),
    }
    return render(request, "funds/loan_detail.html", context, status=status)


def _fund_forms(user, loan, may_report) -> dict:
    """Filing into a pool (the bank side) and applying for a subsidy (the firm)."""
    from ecosystem.funds.forms import FilingForm, SubsidyApplyForm
    from ecosystem.funds.models import Scheme

    schemes = selectors.schemes_visible_to(user=user)
    pools = schemes.filter(kind=Scheme.Kind.RISK_POOL, banks__bank_id=loan.bank_id)
    subsidies = Scheme.objects.filter(kind=Scheme.Kind.INTEREST_SUBSIDY)
    is_member = loan.enterprise_id in scope_of(user).enterprise_ids
    return {
        "filings": selectors.filings_visible_to(user=user).filter(loan=loan),
        "subsidies": selectors.subsidies_visible_to(user=user).filter(loan=loan),
        "filing_form": FilingForm(schemes=pools) if may_report and pools.exists() else None,
        "subsidy_form": SubsidyApplyForm(schemes=subsidies)
        if is_member and subsidies.exists()
        else None,
    }


@login_required
def loan_detail(request, pk: int):
    return _detail(request, _loan(request, pk))


@login_required
@require_POST
def loan_open(request, lead_pk: int):
    lead = _bank_lead(request, lead_pk)
    form = LoanOpenForm(request.POST, prefix="loan")
    if form.is_valid():
        try:
            services.loan_open(
                lead=lead,
                actor=request.user,
                reference=form.cleaned_data["reference"],
                status=form.status(),
            )
        except ApplicationError as exc:
            if exc.status == 404:
                raise Http404 from exc
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The loan is in the loan book."))
            return redirect(_lead_url(lead))
    return render(request, "funds/loan_open.html", {"lead": lead, "form": form}, status=400)


@login_required
@require_POST
def loan_report(request, pk: int):
    loan = _loan(request, pk)
    if not permissions.can_report_loan(request.user, loan):
        raise Http404
    form = LoanStatusForm(request.POST, prefix="status")
    if form.is_valid():
        try:
            outcome = services.loan_report(loan=loan, actor=request.user, status=form.status())
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            done = {
                "updated": _("Status recorded."),
                "history": _("Recorded in the history; a newer status stays current."),
                "unchanged": _("Nothing changed: this status was already recorded."),
            }
            messages.success(request, done[outcome])
            return redirect("funds:loan_detail", pk=loan.pk)
    return _detail(request, loan, status_form=form, status=400)


@login_required
@require_POST
def loan_event(request, pk: int):
    loan = _loan(request, pk)
    if not permissions.can_report_loan(request.user, loan):
        raise Http404
    form = LoanEventForm(request.POST, prefix="event")
    if form.is_valid():
        try:
            _event, made = services.loan_event_record(
                loan=loan, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Payment recorded.") if made else _("This payment was already recorded."),
            )
            return redirect("funds:loan_detail", pk=loan.pk)
    return _detail(request, loan, event_form=form, status=400)


def _is_bank_staff(user) -> bool:
    scope = scope_of(user)
    return bool(scope.managed_bank_ids or scope.branch_ids)


@login_required
def loan_upload(request):
    if not _is_bank_staff(request.user):
        raise Http404
    result = None
    form = LoanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_loan_file(form.cleaned_data["file"])
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            result = services.loan_rows_upsert(actor=request.user, rows=rows, source="upload")
    status = 400 if request.method == "POST" and result is None else 200
    return render(
        request, "funds/loan_upload.html", {"form": form, "result": result}, status=status
    )


@login_required
def loan_list(request):
    scope = scope_of(request.user)
    loans = selectors.loans_visible_to(user=request.user).order_by("-disbursed_on", "-id")
    figures = selectors.zone_loan_figures(user=request.user) if scope.zone_ids else []
    if not permissions.can_view_loan_list(request.user):
        raise Http404
    return render(
        request,
        "funds/loan_list.html",
        {
            "loans": loans[:500],
            "tab": "loans",
            "figures": figures,
            "may_upload": _is_bank_staff(request.user),
            "sharings": _sharings(scope),
        },
    )


def _sharings(scope) -> list[tuple]:
    """(firm, its active sharing or None) for each firm the user is a member of."""
    from ecosystem.enterprises.models import Enterprise
    from ecosystem.funds.services.sharing import active_sharing

    if not scope.enterprise_ids:
        return []
    firms = Enterprise.objects.filter(pk__in=scope.enterprise_ids).select_related("zone")
    return [(firm, active_sharing(firm)) for firm in firms.order_by("name")]


@login_required
@require_POST
def loan_sharing(request, enterprise_pk: int):
    """A member of the firm shares its loans' detail with its zone, or stops sharing."""
    from ecosystem.enterprises.models import Enterprise
    from ecosystem.funds.services.sharing import loan_sharing_set

    if enterprise_pk not in scope_of(request.user).enterprise_ids:
        raise Http404
    enterprise = Enterprise.objects.get(pk=enterprise_pk)
    share = request.POST.get("share") == "1"
    loan_sharing_set(enterprise=enterprise, actor=request.user, share=share)
    messages.success(
        request,
        _("Your zone now sees the detail of your loans.")
        if share
        else _("Your zone sees your loans in aggregate only again."),
    )
    return redirect("funds:loan_list")
