"""The bank's exports as tables (``core.exports.ExportTable``): the matches of the bank's
products and the lead inbox, built for a user and the list's filters through the scoped
selectors. The pages stream a small one; a larger one is an export job that builds the
same table again, as its owner, in a worker (``ecosystem.core.export_jobs``).

Each export reads its rows in one query (a server-side cursor) and writes the access log
of the enterprises it shows in one ``INSERT`` before showing any (``_logged``), so its
queries do not grow with its rows (tests/unit/test_export_query_counts.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import F, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecosystem.core import exports as tables
from ecosystem.core.export_jobs.kinds import ExportKind, ScopeLost, register
from ecosystem.core.exports import ExportTable
from ecosystem.enterprises.services import access_log_record_many, access_log_record_query
from ecosystem.financing import selectors, workflow
from ecosystem.financing.forms import LeadFilterForm, MatchFilterForm
from ecosystem.financing.lead_export_rows import lead_rows
from ecosystem.financing.models import Lead
from ecosystem.financing.permissions import is_bank_staff
from ecosystem.financing.selectors.match_exports import Batch

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


def match_filter(*, user, filters: dict):
    """``(form, product)``: the bank's match list's filter form for ``filters`` and the
    product it names (None: every product the user sees)."""
    form = MatchFilterForm(
        _params(filters) or None, products=selectors.products_visible_to(user=user)
    )
    return form, form.cleaned_data.get("product") if form.is_valid() else None


def filtered_matches(*, user, filters: dict):
    """``(form, product, matches)`` of the bank's match list for ``filters``. A product
    the user may no longer see is :class:`ScopeLost` for a job (the page's form just drops
    it, as it always did)."""
    form, product = match_filter(user=user, filters=filters)
    return form, product, selectors.matches_for_bank(user=user, product=product)


def matches_table(*, user, filters: dict) -> ExportTable:
    form, product, matches = filtered_matches(user=user, filters=filters)
    if filters.get("product") and product is None:
        raise ScopeLost
    code = product.code if product else "all"
    return ExportTable(
        basename=f"matches-{code}-{timezone.localdate():%Y%m%d}",
        header=MATCH_HEADER,
        rows=_match_rows(user, matches, filtered=product is not None),
        sheet_title=gettext_lazy("matches"),
        sources=[matches],
        safe=True,
    )


def _match_rows(user, matches, *, filtered: bool):
    """The rows as :func:`selectors.match_export_rows` reads them, the consent in words,
    once their firms are logged (``_logged``). Unless ``matches`` are one product's
    (``filtered``), the products of the user's banks are named to it by id (one query
    over the products; see ``match_export_rows``)."""
    products = None
    if not filtered:
        products = list(selectors.bank_products_of(user=user).values_list("pk", flat=True))
    # the same product ids for the log's SELECT: planned for the bank's matches, not every
    # match nationally (164-214 -> 24-60 ms)
    seen = matches if products is None else matches.filter(product_id__in=products)
    batches = selectors.match_export_rows(
        matches,
        on=timezone.localdate(),
        consent={True: _("yes"), False: _("no (masked)")},
        products=products,
        chunk=tables.EXPORT_ROW_LIMIT + 1,
    )
    yield from _logged(
        batches,
        viewer=user,
        section=MATCHES_SECTION,
        seen=seen.filter(consented=True).values(
            viewed_enterprise=F("enterprise_id"), viewed_bank=F("product__bank_id")
        ),
    )


def _logged(batches: Iterable[Batch], *, viewer, section: str, seen) -> Iterator[tuple]:
    """The rows of ``batches``, ``(rows, viewed)`` pairs (``viewed``: the ``(enterprise,
    bank)`` ids of the firms its rows show), once the firms they show are in the access
    log: nothing is shown before its firm is logged.

    The first ``EXPORT_ROW_LIMIT`` + 1 rows are read at once (the first batch: the rows'
    cursor's chunk should be that size). When they are all the rows (an export written
    while the request waits) their firms are logged from them, each once, with
    ``access_log_record_many``: the log's statement then no longer reads the rows a
    second time, consent probes included (nationally 33-40 ms against 15). A longer
    export (a job) logs ``seen``, the queryset of the firms shown, with one ``INSERT …
    SELECT`` before its first row is written."""
    batches = iter(batches)
    limit = tables.EXPORT_ROW_LIMIT  # read when the rows are, as ``over_export_limit``
    first: list[tuple] = []
    viewed: set[tuple[int, int]] = set()
    for rows, shown in batches:
        first += rows
        viewed |= shown
        if len(first) > limit:
            break
    if len(first) > limit:
        access_log_record_query(viewer=viewer, seen=seen, section=section)
    else:
        access_log_record_many(viewer=viewer, seen=viewed, section=section)
    del viewed
    yield from first
    del first
    for rows, _shown in batches:
        yield from rows


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
    """A lead's ``selectors.overdue_q`` on a page (the export asks it in its statement)."""
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
        rows=_logged(
            lead_rows(leads),
            viewer=user,
            section=LEADS_SECTION,
            seen=leads.filter(consented=True).values(
                viewed_enterprise=F("enterprise_id"), viewed_bank=F("bank_id")
            ),
        ),
        sheet_title=gettext_lazy("leads"),
        sources=[leads],
        safe=True,
    )


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
