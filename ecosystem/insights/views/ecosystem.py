"""The platform ecosystem page: the technology–industry–finance funnel (registered →
verified → matched → lead → offer → disbursed) with amounts, in total and by zone, chain
and lifecycle stage. Platform admins see every zone, zone officials their own."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecosystem.chains import selectors
from ecosystem.chains.views.common import ecosystem_required, pick_zones
from ecosystem.core.exports import export_response
from ecosystem.core.gates import EXPORT_FORMATS, export_format
from ecosystem.insights.coverage import FUNNEL_STEPS, ecosystem_funnel

STEP_LABELS = {
    "registered": gettext_lazy("registered"),
    "verified": gettext_lazy("verified"),
    "matched": gettext_lazy("matched"),
    "lead": gettext_lazy("lead"),
    "offer": gettext_lazy("offer"),
    "disbursed": gettext_lazy("disbursed"),
}
TABLE_TITLES = {
    "total": gettext_lazy("All enterprises in scope"),
    "zones": gettext_lazy("By zone"),
    "chains": gettext_lazy("By industrial chain"),
    "stages": gettext_lazy("By lifecycle stage"),
}


def funnel_tables(funnel) -> dict[str, dict]:
    header = [
        _("group"),
        *[str(STEP_LABELS[s]) for s in FUNNEL_STEPS],
        _("offered (yuan)"),
        _("disbursed (yuan)"),
    ]
    tables = {}
    for name, rows in funnel.items():
        tables[name] = {
            "title": str(TABLE_TITLES[name]),
            "header": header,
            "rows": [
                [
                    row.label or _("all"),
                    *[row.counts[s] for s in FUNNEL_STEPS],
                    row.offered,
                    row.financed,
                ]
                for row in rows
            ],
        }
    return tables


def _scope(request):
    zones = selectors.ecosystem_zones(user=request.user)
    zone, chosen = pick_zones(request, zones)
    return zone, zones, chosen


@ecosystem_required
def ecosystem(request):
    zone, zones, chosen = _scope(request)
    tables = funnel_tables(ecosystem_funnel(zones=chosen))
    query = f"?zone={zone.pk}" if zone is not None else ""
    for name, table in tables.items():
        table["export_urls"] = [
            reverse("chains:ecosystem_export", args=[name, fmt]) + query for fmt in EXPORT_FORMATS
        ]
    total = tables["total"]["rows"][0]
    chart = {
        "funnel": [
            {"name": str(STEP_LABELS[s]), "value": total[i + 1]} for i, s in enumerate(FUNNEL_STEPS)
        ],
        "chains": {
            "labels": [str(r[0]) for r in tables["chains"]["rows"]],
            "series": [
                {
                    "name": str(STEP_LABELS[s]),
                    "values": [r[i + 1] for r in tables["chains"]["rows"]],
                }
                for i, s in enumerate(FUNNEL_STEPS)
            ],
        },
        "text": {"enterprises": _("enterprises")},
    }
    return render(
        request,
        "chains/ecosystem.html",
        {
            "tables": tables,
            "chart": chart,
            "zone": zone,
            "zones": zones,
            "tab": "ecosystem",
            "offered": total[-2],
            "disbursed": total[-1],
        },
    )


@ecosystem_required
def ecosystem_export(request, table: str, fmt: str):
    fmt = export_format(fmt)
    zone, _zones, chosen = _scope(request)
    tables = funnel_tables(ecosystem_funnel(zones=chosen))
    if table not in tables:
        raise Http404
    chosen_table = tables[table]
    suffix = f"-{zone.code}" if zone is not None else ""
    return export_response(
        fmt,
        f"ecosystem-{table}{suffix}",
        chosen_table["header"],
        chosen_table["rows"],
        sheet_title=table,
    )
