"""The bank dashboard: the lead funnel with its conversion from stage to stage, money along
the pipeline, time to first response and SLA compliance, conversion by product, zone,
branch and industrial chain, time to first contact and to decision in working hours by
product and branch. Charts are drawn by static/js/bank_dashboard.js from
``json_script`` data; every table is also on the page and downloads as CSV or XLSX.

A relationship manager sees the leads of their branches, a manager those of the bank;
someone who sees several banks (a platform admin) compares them by bank, or chooses one
(``views.bank_filter``).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ecosystem.core.exports import export_response
from ecosystem.core.gates import EXPORT_FORMATS, export_format
from ecosystem.financing.views.common import bank_context, bank_staff_required
from ecosystem.insights import bank as figures_of
from ecosystem.insights import decision as decision_of
from ecosystem.insights import summary as summary_of
from ecosystem.insights.figures import Lazy
from ecosystem.insights.tables import amounts_table, conversion_table, decision_table, pct
from ecosystem.insights.views.bank_filter import compares_banks, filtered

#: Tables drawn as a chart above their rows (static/js/bank_dashboard.js).
CHARTED = ("funnel", "products", "zones")

#: Rows a table shows on the page (the ones with the most leads); the export holds all.
#: The platform admin's bank dashboard lists 1,500 branches nationally.
ROWS_SHOWN = 25
#: The tables of one row per product, zone, branch or chain, cut to ``ROWS_SHOWN``.
LISTS = (
    "banks",
    "products",
    "zones",
    "branches",
    "chains",
    "decision_banks",
    "decision_products",
    "decision_branches",
)


class _Figures:
    """The figures of ``leads``: from the summary tables when ``scope`` is given (the
    same leads), else counted lead by lead (``insights.bank``, ``insights.decision``)."""

    def __init__(self, leads, scope, *, now, english: bool):
        self.leads, self.scope, self.now, self.english = leads, scope, now, english

    def funnel(self):
        if self.scope is None:
            return figures_of.lead_funnel(leads=self.leads)
        return summary_of.lead_funnel(self.scope)

    def amounts(self):
        if self.scope is None:
            return figures_of.amounts(leads=self.leads)
        return summary_of.amounts(self.scope)

    def response(self):
        if self.scope is None:
            return figures_of.response_figures(leads=self.leads, now=self.now)
        return summary_of.response_figures(self.scope, now=self.now)

    def conversion(self, dimension: str, page: slice | None = None, top: int | None = None):
        """The rows per group of ``dimension``; with ``page``, those rows only; with
        ``top``, from the summary tables, the ``top`` with the most leads (``top_rows``)."""
        if self.scope is None:
            rows = figures_of.conversion_by(
                leads=self.leads, dimension=dimension, english=self.english
            )
            return rows if page is None else rows[page]
        return summary_of.conversion_by(
            self.scope, dimension=dimension, english=self.english, page=page, top=top
        )

    def groups(self, dimension: str) -> int:
        """How many rows :meth:`conversion` lists."""
        if self.scope is None:
            return len(self.conversion(dimension))
        return len(summary_of.group_sums(self.scope, dimension))

    def decision(self, dimension: str, top: int | None = None, keys: list | None = None):
        """With ``top``, the groups with the most leads; with ``keys``, those groups."""
        if self.scope is None:
            rows = decision_of.decision_by(
                leads=self.leads, dimension=dimension, now=self.now, english=self.english
            )
            if keys is not None:
                wanted = set(keys)
                rows = [row for row in rows if row["key"] in wanted]
            return rows
        return summary_of.decision_by(
            self.scope,
            dimension=dimension,
            now=self.now,
            english=self.english,
            top=top,
            keys=keys,
        )

    def decision_overall(self):
        if self.scope is None:
            return decision_of.decision_overall(leads=self.leads, now=self.now)
        return summary_of.decision_overall(self.scope, now=self.now)


def figures_for(leads, scope, *, now) -> _Figures:
    return _Figures(leads, scope, now=now, english=(get_language() or "").startswith("en"))


def dashboard_tables(
    leads, *, now, scope=None, top: int | None = None, banks: bool = False
) -> tuple[Lazy, Lazy]:
    """Each table as shown and exported (title, header, rows) and the headline figures,
    each computed when read (an export reads one table).
    With ``top`` (the page), the time-to-decision tables are computed for the ``top``
    products and branches with the most leads only, and say how many there are. With
    ``banks`` (figures over several banks, :func:`compares_banks`), conversion and time to
    decision by bank come first."""
    figures = figures_for(leads, scope, now=now)
    hours = _("hours")
    computed = Lazy(
        {
            "funnel": figures.funnel,
            "money": figures.amounts,
            "response": figures.response,
            "overall": figures.decision_overall,
        }
    )

    def by(dimension: str, title, label):
        if dimension != "branch" or top is None:
            return lambda: conversion_table(figures.conversion(dimension), title=title, label=label)

        def branches():
            # The page's branches cut before their rows are built (1,500 for the admin).
            made = conversion_table(
                figures.conversion(dimension, top=top), title=title, label=label
            )
            total = figures.groups(dimension)
            if total > len(made["rows"]):
                made["total_rows"] = total
            return made

        return branches

    def decision(dimension: str, title, label, listed: str):
        def table():
            made = decision_table(figures.decision(dimension, top), title=title, label=label)
            # The same groups as the conversion table (every one with a lead), cut to ``top``.
            if top is not None:
                total = tables[listed].get("total_rows", len(tables[listed]["rows"]))
                if total > len(made["rows"]):
                    made["total_rows"] = total
            return made

        return table

    def response_table():
        response = computed["response"]
        return {
            "title": _("Response and SLA"),
            "header": [_("figure"), _("value")],
            "rows": [
                [_("leads answered"), response.responded],
                [_("median time to first response"), _hours(response.median_hours, hours)],
                [_("90th percentile time to first response"), _hours(response.p90_hours, hours)],
                [_("leads due or answered"), response.due],
                [_("answered within the response time"), response.on_time],
                [_("SLA compliance"), pct(response.compliance)],
                [_("open leads overdue now"), response.overdue_open],
            ],
        }

    by_bank = (
        {
            "banks": by("bank", _("Conversion by bank"), _("bank")),
            "decision_banks": decision("bank", _("Time to decision by bank"), _("bank"), "banks"),
        }
        if banks
        else {}
    )
    tables = Lazy(
        {
            "funnel": lambda: {
                "title": _("Lead funnel"),
                "header": [_("stage"), _("leads"), _("of the previous stage"), _("of all leads")],
                "rows": [
                    [r["label"], r["count"], pct(r["of_previous"]), pct(r["of_total"])]
                    for r in computed["funnel"]
                ],
            },
            "amounts": lambda: amounts_table(computed["money"]),
            "response": response_table,
            **by_bank,
            "products": by("product", _("Conversion by product"), _("product")),
            "zones": by("zone", _("Conversion by zone"), _("zone")),
            "branches": by("branch", _("Conversion by branch"), _("branch")),
            "chains": by("chain", _("Conversion by industrial chain"), _("chain")),
            "decision_products": decision(
                "product", _("Time to decision by product"), _("product"), "products"
            ),
            "decision_branches": decision(
                "branch", _("Time to decision by branch"), _("branch"), "branches"
            ),
        }
    )
    headline = Lazy(
        {
            "leads": lambda: computed["funnel"][0]["count"],
            "disbursed": lambda: computed["money"]["disbursed"],
            "compliance": lambda: pct(computed["response"].compliance),
            "median_hours": lambda: computed["response"].median_hours,
            "overdue": lambda: computed["response"].overdue_open,
            "decision_median_hours": lambda: computed["overall"]["decision_median_hours"],
            "decided_on_time": lambda: pct(computed["overall"]["decided_on_time_share"]),
        }
    )
    return tables, headline


def _hours(value, unit: str) -> str:
    return "" if value is None else f"{value} {unit}"


def chart_data(tables: dict) -> dict:
    """Plain lists for ECharts, from the tables the page shows."""

    def column(name: str, col: int) -> list:
        return [r[col] for r in tables[name]["rows"]]

    return {
        "funnel": [{"name": str(r[0]), "value": r[1]} for r in tables["funnel"]["rows"]],
        "products": {
            "labels": [str(x) for x in column("products", 0)],
            "leads": column("products", 1),
            "disbursed": column("products", 4),
        },
        "zones": {
            "labels": [str(x) for x in column("zones", 0)],
            "leads": column("zones", 1),
            "disbursed": column("zones", 4),
        },
        "text": {"leads": _("leads"), "disbursed": _("disbursed")},
    }


def top_rows(table: dict, limit: int | None = None) -> dict:
    """``table`` with at most ``limit`` rows, those with the most leads (column 1; ties in
    the table's order), and ``total_rows`` set when rows were left out: for the page."""
    rows, limit = table["rows"], ROWS_SHOWN if limit is None else limit
    if len(rows) <= limit:
        return table  # (already cut when computed: ``total_rows`` set there)
    kept = sorted(range(len(rows)), key=lambda i: (-(rows[i][1] or 0), i))[:limit]
    return {**table, "rows": [rows[i] for i in kept], "total_rows": len(rows)}


@bank_staff_required
def bank_dashboard(request):
    form, leads, scope = filtered(request)
    tables, headline = dashboard_tables(
        leads, now=timezone.now(), scope=scope, top=ROWS_SHOWN, banks=compares_banks(form)
    )
    charts = chart_data(tables)
    tables = {name: top_rows(t) if name in LISTS else t for name, t in tables.items()}
    query = request.GET.urlencode()
    for name, table in tables.items():
        table["export_urls"] = [
            reverse("financing_bank_dashboard_export", args=[name, fmt])
            + (f"?{query}" if query else "")
            for fmt in EXPORT_FORMATS
        ]
    return render(
        request,
        "financing/dashboard.html",
        bank_context(
            request,
            "dashboard",
            form=form,
            tables=tables,
            headline=headline,
            chart_data=charts,
            charted=CHARTED,
        ),
    )


@bank_staff_required
def bank_dashboard_export(request, table: str, fmt: str):
    fmt = export_format(fmt)
    form, leads, scope = filtered(request)
    tables, _headline = dashboard_tables(
        leads, now=timezone.now(), scope=scope, banks=compares_banks(form)
    )
    if table not in tables:
        raise Http404
    chosen = tables[table]
    stamp = timezone.localdate().isoformat()
    return export_response(fmt, f"bank-dashboard-{table}-{stamp}", chosen["header"], chosen["rows"])
