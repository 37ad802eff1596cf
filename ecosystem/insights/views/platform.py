"""The platform dashboard (platform admins): every zone side by side, the whole funnel,
money, verification ageing, the banks' response, conversion by bank and by chain. Charts
are drawn by static/js/platform_dashboard.js; every table downloads as CSV or XLSX."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ecosystem.core.calendar_coverage import calendar_coverage, calendar_warning
from ecosystem.core.exports import export_response
from ecosystem.core.gates import EXPORT_FORMATS, export_format, page_for
from ecosystem.insights.figures import Lazy
from ecosystem.insights.funds import platform_schemes, schemes_panel
from ecosystem.insights.platform import platform_dashboard
from ecosystem.insights.tables import (
    AGEING_LABELS,
    FUNNEL_LABELS,
    amounts_table,
    conversion_table,
    decision_table_builders,
    pct,
    sla_table,
)

#: Platform admins only.
platform_admin_required = page_for(
    lambda user: user.is_superuser, gettext_lazy("platform administrators")
)

#: Tables drawn as a chart above their rows.
CHARTED = ("funnel", "zones", "ageing")


def platform_tables(figures) -> Lazy:
    """Each table of the page: a title, a header and rows, as shown and exported; each
    built (and its figures computed) when read."""
    english = (get_language() or "").startswith("en")

    def zone_name(zone) -> str:
        return zone.name_en if english and zone.name_en else zone.name_zh

    def zones():
        return {
            "title": _("Zones side by side"),
            "header": [
                _("zone"),
                _("registered"),
                _("verified"),
                _("verified share"),
                _("matched"),
                _("lead"),
                _("offer"),
                _("disbursed"),
                _("amount disbursed (yuan)"),
                _("claims waiting"),
                _("waiting past the zone's target"),
                _("SLA compliance"),
                _("open leads overdue now"),
            ],
            "rows": [
                [
                    zone_name(row.zone),
                    row.registered,
                    row.verified,
                    pct(row.verified_share),
                    row.matched,
                    row.lead,
                    row.offer,
                    row.disbursed,
                    row.disbursed_amount,
                    row.waiting,
                    row.waiting_over_target,
                    pct(row.sla_compliance),
                    row.overdue,
                ]
                for row in figures["zones"]
            ],
        }

    decision_labels = {
        "banks": (_("Time to decision by bank"), _("bank")),
        "zones": (_("Time to decision by zone"), _("zone")),
        "products": (_("Time to decision by product"), _("product")),
        "chains": (_("Time to decision by industrial chain"), _("chain")),
    }

    return Lazy(
        {
            "zones": zones,
            "funnel": lambda: {
                "title": _("Funnel"),
                "header": [_("stage"), _("enterprises")],
                "rows": [[FUNNEL_LABELS.get(k, k), v] for k, v in figures["funnel"]],
            },
            "amounts": lambda: amounts_table(figures["amounts"]),
            "ageing": lambda: {
                "title": _("Ageing of claims waiting for a decision"),
                "header": [_("waiting"), _("claims")],
                "rows": [[AGEING_LABELS[k], n] for k, n in figures["ageing"].items()],
            },
            "sla": lambda: sla_table(figures["sla"], title=_("Bank response to all enterprises")),
            "banks": lambda: conversion_table(
                figures["banks"], title=_("Conversion by bank"), label=_("bank")
            ),
            "chains": lambda: conversion_table(
                figures["chains"], title=_("Conversion by industrial chain"), label=_("chain")
            ),
            **decision_table_builders(figures["decision"], decision_labels),
            "schemes": lambda: schemes_panel(platform_schemes()),
        }
    )


def chart_data(tables: dict) -> dict:
    """Plain lists for ECharts, from the tables the page shows."""
    zones = tables["zones"]["rows"]
    return {
        "funnel": [{"name": str(r[0]), "value": r[1]} for r in tables["funnel"]["rows"]],
        "zones": {
            "labels": [str(r[0]) for r in zones],
            "registered": [r[1] for r in zones],
            "verified": [r[2] for r in zones],
            "disbursed": [r[7] for r in zones],
        },
        "ageing": {
            "labels": [str(r[0]) for r in tables["ageing"]["rows"]],
            "values": [r[1] for r in tables["ageing"]["rows"]],
        },
        "text": {
            "enterprises": _("enterprises"),
            "claims": _("claims"),
            "registered": _("registered"),
            "verified": _("verified"),
            "disbursed": _("disbursed"),
        },
    }


@platform_admin_required
def dashboard(request):
    figures = platform_dashboard(
        now=timezone.now(), english=(get_language() or "").startswith("en")
    )
    tables = platform_tables(figures)
    for name, table in tables.items():
        table["export_urls"] = [
            reverse("platform_dashboard_export", args=[name, fmt]) for fmt in EXPORT_FORMATS
        ]
    return render(
        request,
        "zones/platform_dashboard.html",
        {
            "figures": figures,
            "tables": tables,
            "chart_data": chart_data(tables),
            "charted": CHARTED,
            "calendar_warning": calendar_warning(calendar_coverage()),
        },
    )


@platform_admin_required
def dashboard_export(request, table: str, fmt: str):
    fmt = export_format(fmt)
    figures = platform_dashboard(
        now=timezone.now(), english=(get_language() or "").startswith("en")
    )
    tables = platform_tables(figures)
    if table not in tables:
        raise Http404
    chosen = tables[table]  # only this table's figures are computed
    return export_response(
        fmt, f"platform-{table}", chosen["header"], chosen["rows"], sheet_title=table
    )
