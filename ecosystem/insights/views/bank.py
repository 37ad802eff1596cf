"""The bank dashboard: the lead funnel with its conversion from stage to stage, money along
the pipeline, time to first response and SLA compliance, conversion by product, zone,
branch and industrial chain, time to first contact and to decision in working hours by
product and branch. Charts are drawn by static/js/bank_dashboard.js from
``json_script`` data; every table is also on the page and downloads as CSV or XLSX.

A relationship manager sees the leads of their branches, a manager those of the bank.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from ecosystem.accounts.scope import scope_of
from ecosystem.core.exports import export_response
from ecosystem.core.forms import NamedModelChoiceField
from ecosystem.core.gates import EXPORT_FORMATS, export_format
from ecosystem.core.widgets import QuickSelect
from ecosystem.financing import selectors
from ecosystem.financing.models import Branch
from ecosystem.financing.permissions import bank_leads_of_bank_q, bank_leads_q
from ecosystem.financing.selectors.leads import bank_leads_of
from ecosystem.financing.views.common import bank_context, bank_staff_required
from ecosystem.insights import bank as figures_of
from ecosystem.insights import decision as decision_of
from ecosystem.insights import summary as summary_of
from ecosystem.insights.figures import Lazy
from ecosystem.insights.summary import SummaryScope
from ecosystem.insights.tables import amounts_table, conversion_table, decision_table, pct

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

#: Longest period the dashboard accepts, so a typo such as year 2O26 cannot ask for ages.
MAX_PERIOD_DAYS = 3 * 366


class DashboardFilterForm(forms.Form):
    """Which leads the figures cover: created in a period, of a product, of a branch."""

    created_from = forms.DateField(
        label=gettext_lazy("Created from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    created_to = forms.DateField(
        # "to" alone is also a lead note's new status: this one is the end of a period.
        label=pgettext_lazy("end of a date range", "to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # Options read as plain rows (1,500 branches for the platform admin), the branches'
    # rendered in Python (``QuickSelect``). The bank is offered only to someone who sees
    # several (a platform admin: every bank nationally).
    bank = NamedModelChoiceField(label=gettext_lazy("Bank"), queryset=None, required=False)
    product = NamedModelChoiceField(label=gettext_lazy("Product"), queryset=None, required=False)
    branch = NamedModelChoiceField(
        label=gettext_lazy("Branch"), queryset=None, required=False, widget=QuickSelect
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        banks = selectors.banks_of_staff(user=user)
        self.fields["bank"].queryset = banks.order_by("code")
        self.several_banks = sees_several_banks(user)
        if not self.several_banks:
            # Still checked (an API caller naming another bank is refused), never listed.
            self.fields["bank"].widget = forms.HiddenInput()
        self.fields["product"].queryset = selectors.products_visible_to(user=user)
        self.fields["branch"].queryset = Branch.objects.filter(bank__in=banks).order_by(
            "bank__code", "code"
        )

    def clean(self):
        data = super().clean()
        bank = data.get("bank")
        if bank is not None:
            # Ids compared, not rows read: a product or branch of another bank than the one
            # chosen narrows to nothing, which the user would take for a bank without leads.
            if data.get("product") is not None and data["product"].bank_id != bank.pk:
                self.add_error("product", _("This product is not one of the chosen bank's."))
            if data.get("branch") is not None and data["branch"].bank_id != bank.pk:
                self.add_error("branch", _("This branch is not one of the chosen bank's."))
        start, end = data.get("created_from"), data.get("created_to")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        return data


def sees_several_banks(user) -> bool:
    """Whether the user's bank dashboard covers more than one bank (a platform admin, or
    someone working for two banks): it then offers a bank filter and compares the banks."""
    scope = scope_of(user)
    return scope.admin_may("view_leads") or len(scope.bank_ids) > 1


def _local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_leads(request):
    """The user's leads narrowed by the filter form (an invalid form narrows nothing)."""
    form, leads, _scope = filtered(request)
    return form, leads


def filtered(request):
    """The filter form, the user's leads it narrows to, and the same leads as a scope of
    the summary tables (``None`` when a period is chosen: the summary has no days, so
    the figures of a period are counted from its leads)."""
    form = DashboardFilterForm(request.GET or None, user=request.user)
    leads = bank_leads_of(user=request.user).prefetch_related(None)
    scope = SummaryScope(q=bank_leads_q(scope_of(request.user)))
    if form.is_valid() and form.cleaned_data.get("bank") is not None:
        bank_id = form.cleaned_data["bank"].pk
        leads = leads.filter(bank_id=bank_id)
        scope = SummaryScope(q=bank_leads_of_bank_q(scope_of(request.user), bank_id))
    if form.is_valid():
        data = form.cleaned_data
        if data["created_from"] or data["created_to"]:
            scope = None
        elif data["product"] is not None or data["branch"] is not None:
            scope = replace(
                scope,
                product_id=data["product"].pk if data["product"] is not None else None,
                branch_id=data["branch"].pk if data["branch"] is not None else None,
            )
    if form.is_valid():
        data = form.cleaned_data
        if data["created_from"]:
            leads = leads.filter(created_at__gte=_local_midnight(data["created_from"]))
        if data["created_to"]:
            leads = leads.filter(
                created_at__lt=_local_midnight(data["created_to"] + timedelta(days=1))
            )
        if data["product"] is not None:
            leads = leads.filter(product=data["product"])
        if data["branch"] is not None:
            leads = leads.filter(branch=data["branch"])
    return form, leads, scope


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

    def conversion(self, dimension: str):
        if self.scope is None:
            return figures_of.conversion_by(
                leads=self.leads, dimension=dimension, english=self.english
            )
        return summary_of.conversion_by(self.scope, dimension=dimension, english=self.english)

    def decision(self, dimension: str, top: int | None = None):
        if self.scope is None:
            return decision_of.decision_by(
                leads=self.leads, dimension=dimension, now=self.now, english=self.english
            )
        return summary_of.decision_by(
            self.scope, dimension=dimension, now=self.now, english=self.english, top=top
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
        return lambda: conversion_table(figures.conversion(dimension), title=title, label=label)

    def decision(dimension: str, title, label, listed: str):
        def table():
            made = decision_table(figures.decision(dimension, top), title=title, label=label)
            # The same groups as the conversion table (every one with a lead), cut to ``top``.
            if top is not None:
                total = len(tables[listed]["rows"])
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


def compares_banks(form) -> bool:
    """Whether the dashboard of ``form`` covers several banks: the user sees more than one
    (the form offers the bank filter) and has not chosen one."""
    if not form.several_banks:
        return False
    return not (form.is_valid() and form.cleaned_data.get("bank") is not None)


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
