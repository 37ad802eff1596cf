"""One financial year under review: the figures beside the year before, and the verdict
(verified, or a discrepancy with a note)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.models import FinancialYear
from ecosystem.enterprises.models.figures import FIGURE_FIELDS
from ecosystem.enterprises.permissions import is_zone_official_for
from ecosystem.enterprises.review.forms import YearVerificationForm
from ecosystem.enterprises.review.selectors import zone_years
from ecosystem.enterprises.review.views.common import form_error, official_required
from ecosystem.enterprises.services import financial_year_set_verification


def figure_rows(year: FinancialYear, previous: FinancialYear | None) -> list[dict]:
    rows = []
    for name in FIGURE_FIELDS:
        value = getattr(year, name)
        before = getattr(previous, name) if previous else None
        rows.append(
            {
                "name": name,
                "label": FinancialYear._meta.get_field(name).verbose_name,
                "value": value,
                "previous": before,
                "is_money": isinstance(value, Decimal),
            }
        )
    return rows


def _ratios(year: FinancialYear) -> dict:
    """The ratios a reviewer checks first: R&D intensity and R&D staff share, in percent."""
    intensity = year.rd_expense * 100 / year.revenue if year.revenue else None
    staff = Decimal(year.rd_staff * 100) / year.employees if year.employees else None
    return {
        "rd_intensity": intensity.quantize(Decimal("0.1")) if intensity is not None else None,
        "rd_staff_share": staff.quantize(Decimal("0.1")) if staff is not None else None,
        "class_i_ip": year.class_i_ip,
        "class_ii_ip": year.class_ii_ip,
    }


@official_required
def year_review(request, pk: int):
    year = get_object_or_404(zone_years(user=request.user), pk=pk)
    form = YearVerificationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                year = financial_year_set_verification(
                    financial_year=year,
                    actor=request.user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as exc:
                if exc.status == 404:
                    raise Http404 from exc
                form_error(form, exc, field="note" if exc.code == "note_required" else None)
            else:
                messages.success(
                    request,
                    _("%(enterprise)s, %(year)s: %(status)s.")
                    % {
                        "enterprise": year.enterprise.name,
                        "year": year.year,
                        "status": year.get_verification_status_display(),
                    },
                )
                return redirect("zone_queue")
        status = 400
    previous = FinancialYear.objects.filter(enterprise=year.enterprise, year=year.year - 1).first()
    return render(
        request,
        "zones/year_review.html",
        {
            "year": year,
            "enterprise": year.enterprise,
            "previous": previous,
            "rows": figure_rows(year, previous),
            "ratios": _ratios(year),
            "form": form,
            "can_verify": is_zone_official_for(request.user, year.enterprise),
            "tab": "queue",
        },
        status=status,
    )
