"""The fund dashboard page (/funds/dashboard/): the schemes one may see, broken down by
bank, zone, industrial chain or lifecycle stage (``?by=``), with charts drawn by
static/js/fund_dashboard.js and every table downloadable as CSV or XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from ecosystem.core.exports import export_response
from ecosystem.core.gates import EXPORT_FORMATS, export_format
from ecosystem.funds import permissions
from ecosystem.funds.dashboard.figures import DIMENSIONS
from ecosystem.funds.dashboard.tables import (
    BREAKDOWNS,
    chart_data,
    dashboard_tables,
    export_table,
)


def _allowed(request) -> None:
    if not permissions.can_view_fund_dashboard(request.user):
        raise Http404


@login_required
def fund_dashboard(request):
    _allowed(request)
    by = request.GET.get("by", DIMENSIONS[0])
    if by not in DIMENSIONS:
        by = DIMENSIONS[0]
    tables = dashboard_tables(user=request.user, by=by)
    for name, table in tables.items():
        table["export_urls"] = [
            reverse("funds:fund_dashboard_export", args=[name, fmt]) for fmt in EXPORT_FORMATS
        ]
    return render(
        request,
        "funds/dashboard.html",
        {
            "tables": tables,
            "by": by,
            "breakdowns": [(name, title) for name, (_label, title) in BREAKDOWNS.items()],
            "chart_data": chart_data(tables, by),
            "charted": ("schemes", by),
            "tab": "dashboard",
        },
    )


@login_required
def fund_dashboard_export(request, table: str, fmt: str):
    _allowed(request)
    fmt = export_format(fmt)
    chosen = export_table(user=request.user, table=table)
    if chosen is None:
        raise Http404
    stamp = timezone.localdate().isoformat()
    return export_response(
        fmt, f"fund-dashboard-{table}-{stamp}", chosen["header"], chosen["rows"], sheet_title=table
    )
