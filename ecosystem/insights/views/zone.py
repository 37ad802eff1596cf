"""The zone dashboard: enterprises by lifecycle stage, industry and program, review
throughput and ageing, the funnel. Charts are drawn by static/js/zone_dashboard.js from
data passed with ``json_script``; every table downloads as CSV or XLSX."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ecosystem.core.calendar_coverage import calendar_coverage, calendar_warning
from ecosystem.core.exports import export_response
from ecosystem.core.gates import EXPORT_FORMATS, export_format
from ecosystem.enterprises.lifecycle import LifecycleStage
from ecosystem.enterprises.review.views.common import official_required
from ecosystem.insights.figures import Lazy
from ecosystem.insights.funds import schemes_panel
from ecosystem.insights.tables import (
    AGEING_LABELS,
    FUNNEL_LABELS,
    decision_table_builders,
    sla_table,
)
from ecosystem.insights.zone import zone_dashboard
from ecosystem.zones.selectors import zones_of_official

#: Tables drawn as a chart above their rows (static/js/zone_dashboard.js).
CHARTED = ("stages", "industries", "programs", "ageing", "funnel")


def pick_zone(request):
    """The zone asked for in ``?zone=`` among the official's zones, else the first."""
    zones = zones_of_official(user=request.user)
    wanted = request.GET.get("zone", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        return get_object_or_404(zones, pk=int(wanted)), zones
    zone = zones.first()
    if zone is None:
        raise Http404
    return zone, zones


def dashboard_tables(figures) -> Lazy:
    """Each table of the dashboard: a title, a header and rows, as shown and exported;
    each built (and its figures computed) when read."""
    now = timezone.now()
    not_yet = _("not yet available")
    english = (get_language() or "").startswith("en")

    def stages():
        counts = figures["stages"]
        return {
            "title": _("Enterprises by lifecycle stage"),
            "header": [_("stage"), _("enterprises")],
            "rows": [[stage.label, counts.get(stage.value, 0)] for stage in LifecycleStage],
        }

    def industries():
        ordered = sorted(figures["industries"].items(), key=lambda kv: (-kv[1], kv[0]))
        return {
            "title": _("Enterprises by industry section"),
            "header": [_("industry section"), _("enterprises")],
            "rows": [[name or _("not given"), count] for name, count in ordered],
        }

    def programs():
        return {
            "title": _("Enterprises with a verified qualification, by program"),
            "header": [_("program code"), _("program"), _("enterprises")],
            "rows": [
                [
                    p["program__code"],
                    p["program__name_en"]
                    if english and p["program__name_en"]
                    else p["program__name_zh"],
                    p["enterprises"],
                ]
                for p in figures["programs"]
            ],
        }

    decision_labels = {
        "banks": (_("Time to decision by bank"), _("bank")),
        "branches": (_("Time to decision by branch"), _("branch")),
        "products": (_("Time to decision by product"), _("product")),
        "chains": (_("Time to decision by industrial chain"), _("chain")),
    }

    return Lazy(
        {
            "stages": stages,
            "industries": industries,
            "programs": programs,
            "review": lambda: {
                "title": _("Review throughput"),
                "header": [_("figure"), _("claims")],
                "rows": [
                    [_("decided in the last 7 days"), figures["decided_last_7_days"]],
                    [_("waiting for a decision"), figures["waiting"]],
                ],
            },
            "ageing": lambda: {
                "title": _("Ageing of claims waiting for a decision"),
                "header": [_("waiting"), _("claims")],
                "rows": [[AGEING_LABELS[k], n] for k, n in figures["ageing"].items()],
            },
            "funnel": lambda: {
                "title": _("Funnel"),
                "header": [_("stage"), _("enterprises")],
                "rows": [
                    [FUNNEL_LABELS.get(k, k), not_yet if v is None else v]
                    for k, v in figures["funnel"]
                ],
            },
            "financing": lambda: {
                "title": _("Financing reached"),
                "header": [_("figure"), _("amount (yuan)")],
                "rows": [
                    [_("offers made"), figures["offered_amount"]],
                    [_("disbursed"), figures["disbursed_amount"]],
                ],
            },
            "sla": lambda: sla_table(
                figures["sla"], title=_("Bank response to the zone's enterprises")
            ),
            **decision_table_builders(figures["decision"], decision_labels),
            "overdue": lambda: {
                "title": _("Leads overdue at the banks"),
                "header": [
                    _("enterprise"),
                    _("product"),
                    _("bank"),
                    _("branch"),
                    _("response due"),
                    _("hours overdue"),
                ],
                "rows": [_overdue_row(lead, now) for lead in figures["overdue_leads"]],
            },
            "schemes": lambda: schemes_panel(figures["schemes"]),
        }
    )


def _overdue_row(lead, now) -> list:
    late = Decimal((now - lead.due_at).total_seconds()) / 3600
    return [
        lead.enterprise.name,
        lead.product.name,
        lead.bank.name,
        lead.branch.name,
        timezone.localtime(lead.due_at).strftime("%Y-%m-%d %H:%M"),
        late.quantize(Decimal("0.1")),
    ]


def chart_data(figures: dict, tables: dict) -> dict:
    """Plain lists for ECharts; funnel stages without data yet are left out of the chart."""

    def pairs(table: str, label_col: int = 0, value_col: int = -1):
        rows = tables[table]["rows"]
        return {
            "labels": [str(r[label_col]) for r in rows],
            "values": [r[value_col] for r in rows],
        }

    return {
        "stages": pairs("stages"),
        "industries": pairs("industries"),
        "programs": pairs("programs", label_col=1),
        "ageing": pairs("ageing"),
        "funnel": [
            {"name": str(FUNNEL_LABELS.get(k, k)), "value": v}
            for k, v in figures["funnel"]
            if v is not None
        ],
        "text": {"enterprises": _("enterprises"), "claims": _("claims")},
    }


@official_required
def dashboard(request):
    zone, zones = pick_zone(request)
    figures = zone_dashboard(zone=zone)
    tables = dashboard_tables(figures)
    for name, table in tables.items():
        table["export_urls"] = [
            f"{reverse('zone_dashboard_export', args=[name, fmt])}?zone={zone.pk}"
            for fmt in EXPORT_FORMATS
        ]
    return render(
        request,
        "zones/dashboard.html",
        {
            "zone": zone,
            "zones": zones,
            "figures": figures,
            "tables": tables,
            "chart_data": chart_data(figures, tables),
            "charted": CHARTED,
            "tab": "dashboard",
            "calendar_warning": calendar_warning(calendar_coverage()),
        },
    )


@official_required
def dashboard_export(request, table: str, fmt: str):
    fmt = export_format(fmt)
    zone, _zones = pick_zone(request)
    tables = dashboard_tables(zone_dashboard(zone=zone))
    if table not in tables:
        raise Http404
    chosen = tables[table]
    return export_response(
        fmt, f"{zone.code}-{table}", chosen["header"], chosen["rows"], sheet_title=table
    )
