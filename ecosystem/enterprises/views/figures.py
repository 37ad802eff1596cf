"""Yearly figures (with intellectual property counts) and financing needs."""

from __future__ import annotations

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import selectors, services
from ecosystem.enterprises.forms import FinancialYearForm, FinancingNeedForm
from ecosystem.enterprises.models.figures import FIGURE_FIELDS
from ecosystem.enterprises.views.common import (
    enterprise_context,
    form_error,
    log_bank_view,
    member_enterprise,
    readable_enterprise,
)


@verified_email_required
def financial_year_list(request, pk: int):
    enterprise = readable_enterprise(request, pk)
    log_bank_view(request, enterprise, "figures")
    years = selectors.financial_years_of(enterprise=enterprise).select_related("verified_by")
    return render(
        request,
        "enterprises/figures/list.html",
        enterprise_context(request, enterprise, "figures", years=years),
    )


def _figures(form) -> dict:
    return {name: form.cleaned_data[name] for name in FIGURE_FIELDS}


@verified_email_required
def financial_year_add(request, pk: int):
    enterprise = member_enterprise(request, pk)
    form = FinancialYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        if selectors.financial_years_of(enterprise=enterprise).filter(year=year).exists():
            form.add_error(
                "year",
                _("Figures for %(year)d already exist; edit them instead.") % {"year": year},
            )
        else:
            try:
                services.financial_year_save(
                    enterprise=enterprise, actor=request.user, year=year, **_figures(form)
                )
            except ApplicationError as exc:
                form_error(form, exc, field="year")
            else:
                messages.success(request, _("Figures for %(year)d saved.") % {"year": year})
                return redirect("financial_year_list", pk=enterprise.pk)
    return render(
        request,
        "enterprises/figures/form.html",
        enterprise_context(request, enterprise, "figures", form=form, year=None),
    )


@verified_email_required
def financial_year_edit(request, pk: int, year: int):
    """Edit one year; a version saved meanwhile by someone else is refused, input kept."""
    enterprise = member_enterprise(request, pk)
    current = get_object_or_404(selectors.financial_years_of(enterprise=enterprise), year=year)
    if request.method != "POST":
        initial = {name: getattr(current, name) for name in FIGURE_FIELDS}
        form = FinancialYearForm(initial={**initial, "version": current.version}, editing=True)
    else:
        form = FinancialYearForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.financial_year_save(
                    enterprise=enterprise,
                    actor=request.user,
                    year=current.year,
                    expected_version=form.cleaned_data["version"],
                    **_figures(form),
                )
            except ApplicationError as exc:
                if exc.code == "stale_version":
                    data = request.POST.copy()
                    data["version"] = str(
                        selectors.financial_years_of(enterprise=enterprise)
                        .get(pk=current.pk)
                        .version
                    )
                    form = FinancialYearForm(data, editing=True)
                    form.is_valid()
                    form.add_error(None, exc.message)
                else:
                    form_error(form, exc)
            else:
                messages.success(request, _("Figures for %(year)d saved.") % {"year": year})
                return redirect("financial_year_list", pk=enterprise.pk)
    return render(
        request,
        "enterprises/figures/form.html",
        enterprise_context(
            request, enterprise, "figures", form=form, year=current.year, current=current
        ),
    )


@verified_email_required
def financing_need_list(request, pk: int):
    enterprise = readable_enterprise(request, pk)
    log_bank_view(request, enterprise, "needs")
    return render(
        request,
        "enterprises/needs.html",
        enterprise_context(
            request, enterprise, "needs", needs=selectors.needs_of(enterprise=enterprise)
        ),
    )


@verified_email_required
def financing_need_add(request, pk: int):
    enterprise = member_enterprise(request, pk)
    form = FinancingNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.financing_need_create(
                enterprise=enterprise, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The financing need was added."))
            return redirect("financing_need_list", pk=enterprise.pk)
    return render(
        request,
        "enterprises/need_form.html",
        enterprise_context(request, enterprise, "needs", form=form),
    )


@verified_email_required
@require_POST
def financing_need_close(request, pk: int, need_pk: int):
    enterprise = member_enterprise(request, pk)
    need = get_object_or_404(selectors.needs_of(enterprise=enterprise), pk=need_pk)
    try:
        services.financing_need_close(need=need, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The financing need was closed."))
    return redirect(reverse("financing_need_list", args=[enterprise.pk]))
