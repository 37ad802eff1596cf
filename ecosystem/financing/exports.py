"""The bank's exports as tables (``core.exports.ExportTable``): the matches of the bank's
products and the lead inbox, built for a user and the list's filters through the scoped
selectors. The pages stream a small one; a larger one is an export job that builds the
same table again, as its owner, in a worker (``ecosystem.core.export_jobs``).

Each export reads its rows in one query (a server-side cursor) and writes the access log
of the enterprises it shows in one ``INSERT … SELECT``, so its queries do not grow with
its rows (tests/unit/test_export_query_counts.py).
"""

from __future__ import annotations

from django.db.models import F, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecosystem.core.db import without_jit
from ecosystem.core.export_jobs.kinds import ExportKind, ScopeLost, register
from ecosystem.core.exports import ExportTable
from ecosystem.enterprises.services import access_log_record_query
from ecosystem.financing import selectors, workflow
from ecosystem.financing.forms import LeadFilterForm, MatchFilterForm
from ecosystem.financing.models import Lead
from ecosystem.financing.permissions import is_bank_staff

MATCHES = "financing.matches"
LEADS = "financing.leads"
#: Access-log sections of the exports (the enterprise sees them).
MATCHES_SECTION = "matches-export"
LEADS_SECTION = "leads-export"
LEAD_TABS = ("mine", "team", "unassigned")

MATCH_HEADER = (
    gettext_lazy("product"),
    gettext_lazy("version"),
    gettext_lazy("lifecycle stage"),
    gettext_lazy("zone"),
    gettext_lazy("industry section"),
    gettext_lazy("indicative limit (yuan)"),
    gettext_lazy("score"),
    gettext_lazy("consent"),
    gettext_lazy("enterprise"),
    gettext_lazy("unified social credit code"),
    gettext_lazy("contact person"),
    gettext_lazy("contact phone"),
    gettext_lazy("contact email"),
    gettext_lazy("figures year"),
    gettext_lazy("revenue (yuan)"),
    gettext_lazy("R&D expense (yuan)"),
    gettext_lazy("employees"),
)

LEAD_HEADER = (
    gettext_lazy("enterprise"),
    gettext_lazy("unified social credit code"),
    gettext_lazy("product"),
    gettext_lazy("indicative limit (yuan)"),
    gettext_lazy("amount asked (yuan)"),
    gettext_lazy("purpose"),
    gettext_lazy("term asked (months)"),
    gettext_lazy("collateral offered"),
    gettext_lazy("status"),
    gettext_lazy("response due"),
    gettext_lazy("overdue"),
    gettext_lazy("branch"),
    gettext_lazy("relationship manager"),
    gettext_lazy("created at"),
    gettext_lazy("decline reason"),
    gettext_lazy("decline note"),
)


def _params(filters: dict) -> QueryDict:
    params = QueryDict(mutable=True)
    for key, value in (filters or {}).items():
        params[key] = value
    return params


def list_filters(query: QueryDict) -> dict:
    """A list page's query string as a job's filters (plain strings; the page number is
    not a filter)."""
    return {key: value for key, value in query.items() if key != "page"}


# ---- matches -------------------------------------------------------------------------


def filtered_matches(*, user, filters: dict):
    """``(form, product, matches)`` of the bank's match list for ``filters``. A product
    the user may no longer see is :class:`ScopeLost` for a job (the page's form just drops
    it, as it always did)."""
    form = MatchFilterForm(
        _params(filters) or None, products=selectors.products_visible_to(user=user)
    )
    product = form.cleaned_data.get("product") if form.is_valid() else None
    return form, product, selectors.matches_for_bank(user=user, product=product)


def matches_table(*, user, filters: dict) -> ExportTable:
    form, product, matches = filtered_matches(user=user, filters=filters)
    if filters.get("product") and product is None:
        raise ScopeLost
    code = product.code if product else "all"
    return ExportTable(
        basename=f"matches-{code}-{timezone.localdate():%Y%m%d}",
        header=MATCH_HEADER,
        rows=_match_rows(user, matches),
        sheet_title=gettext_lazy("matches"),
        sources=[matches],
    )


def _match_rows(user, matches):
    access_log_record_query(
        viewer=user,
        seen=matches.filter(consented=True).values(
            viewed_enterprise=F("enterprise_id"), viewed_bank=F("product__bank_id")
        ),
        section=MATCHES_SECTION,
    )
    on = timezone.localdate()
    for batch, years in selectors.match_export_batches(matches):
        for row in selectors.match_rows(batch, on=on, years=years):
            yield _match_row_values(row)


def _match_row_values(row) -> list:
    """One :class:`~ecosystem.financing.selectors.MatchRow` as the export's cells."""
    e = row.enterprise
    detail = (
        [
            e.name,
            e.uscc,
            e.contact_name,
            e.contact_phone,
            e.contact_email,
            e.figures_year,
            e.revenue,
            e.rd_expense,
            e.employees,
        ]
        if e is not None
        else [""] * 9
    )
    return [
        row.product_name,
        row.version,
        row.stage_label,
        row.zone,
        row.industry_section,
        row.indicative_limit,
        row.score,
        _("yes") if e is not None else _("no (masked)"),
        *detail,
    ]


# ---- leads -----------------------------------------------------------------------------


def lead_tab(params) -> str:
    tab = params.get("tab") or "mine"
    return tab if tab in LEAD_TABS else "mine"


def inbox_leads(*, user, params):
    """``(tab, form, leads)``: the inbox tab's leads after the filters, in the inbox's
    order (the page and its export read the same ones)."""
    scoped = selectors.bank_leads_of(user=user)
    tab = lead_tab(params)
    form = LeadFilterForm(params or None, products=selectors.products_visible_to(user=user))
    if tab == "mine":
        leads = scoped.filter(assigned_to=user)
    elif tab == "unassigned":
        leads = scoped.filter(assigned_to__isnull=True, status__in=workflow.OPEN)
    else:
        leads = scoped
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            leads = leads.filter(status=data["status"])
        if data["product"] is not None:
            leads = leads.filter(product=data["product"])
        if data["overdue"]:
            leads = leads.filter(selectors.overdue_q(timezone.now()))
    # Revoked consent hides the enterprise from the bank at once (rows carry ``consented``,
    # see selectors.leads), in the inbox and its search too.
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        leads = leads.filter(consented=True).filter(
            Q(enterprise__name__icontains=q) | Q(enterprise__uscc__iexact=q)
        )
    leads = leads.prefetch_related(None).order_by("due_at", "-created_at", "-id")
    return tab, form, leads


def is_overdue(lead: Lead, now) -> bool:
    return (
        lead.is_open
        and lead.due_at is not None
        and lead.due_at < now
        and lead.first_contact_at is None
    )


def leads_table(*, user, filters: dict) -> ExportTable:
    params = _params(filters)
    tab, form, leads = inbox_leads(user=user, params=params)
    if filters.get("product") and not (form.is_valid() and form.cleaned_data["product"]):
        raise ScopeLost
    return ExportTable(
        basename=f"leads-{tab}-{timezone.localdate():%Y%m%d}",
        header=LEAD_HEADER,
        rows=_lead_rows(user, leads),
        sheet_title=gettext_lazy("leads"),
        sources=[leads],
    )


def _lead_rows(user, leads):
    """The decline reason is its label in the export's language; the decline note is the
    bank's own text, so it belongs to this bank-staff export only (the enterprise's pages,
    the leads API and anything an enterprise can download never carry it). Both are
    fields of the lead itself: no query is added."""
    access_log_record_query(
        viewer=user,
        seen=leads.filter(consented=True).values(
            viewed_enterprise=F("enterprise_id"), viewed_bank=F("bank_id")
        ),
        section=LEADS_SECTION,
    )
    now = timezone.now()
    masked = _("(consent revoked)")
    labels = _choice_labels()
    with without_jit():  # as the matches export: compiling cost more than reading
        for lead in leads.iterator(chunk_size=1000):
            yield _lead_row(lead, now, masked, labels)


LABELLED = ("need_purpose", "need_collateral", "status", "decline_reason")


def _choice_labels() -> dict[str, dict]:
    """Each labelled field's choices as text in the active language, read once per export:
    ``get_<field>_display`` translates every choice of the field on each call (150,000
    ``gettext`` calls for 5,300 leads). Same text: a value without a label stays itself."""
    return {
        name: {value: str(label) for value, label in Lead._meta.get_field(name).flatchoices}
        for name in LABELLED
    }


def _label(labels: dict, name: str, value):
    return labels[name].get(value, value)


def _lead_row(lead: Lead, now, masked: str, labels: dict) -> list:
    return [
        lead.enterprise.name if lead.consented else masked,
        lead.enterprise.uscc if lead.consented else "",
        lead.product.name,
        lead.indicative_limit,
        lead.need_amount,
        _label(labels, "need_purpose", lead.need_purpose),
        lead.need_term_months,
        _label(labels, "need_collateral", lead.need_collateral),
        _label(labels, "status", lead.status),
        lead.due_at,
        is_overdue(lead, now),
        lead.branch.name,
        str(lead.assigned_to) if lead.assigned_to else "",
        lead.created_at,
        _label(labels, "decline_reason", lead.decline_reason),
        lead.decline_note,
    ]


def _with_query(url: str, filters: dict) -> str:
    query = _params(filters).urlencode()
    return f"{url}?{query}" if query else url


def register_exports() -> None:
    register(
        ExportKind(
            name=MATCHES,
            label=gettext_lazy("Matches"),
            allowed=is_bank_staff,
            build=matches_table,
            back=lambda filters: _with_query(reverse("financing_bank_matches"), filters),
        )
    )
    register(
        ExportKind(
            name=LEADS,
            label=gettext_lazy("Leads"),
            allowed=is_bank_staff,
            build=leads_table,
            back=lambda filters: _with_query(reverse("financing_lead_inbox"), filters),
        )
    )
