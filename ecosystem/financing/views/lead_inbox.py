"""The relationship manager's inbox (mine, my team's, unassigned) with filters, search
and exports. Rows come from ``selectors.leads.bank_leads_of``; the page makes a fixed
number of queries whatever its size (tests/unit/test_lead_query_counts.py)."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecosystem.accounts.scope import scope_of
from ecosystem.core.exports import export_response
from ecosystem.core.gates import EXPORT_FORMATS, export_format
from ecosystem.core.workdays import calendar_overrides
from ecosystem.enterprises.services import access_log_record_many
from ecosystem.financing import selectors, workflow
from ecosystem.financing.clocks import lead_clock
from ecosystem.financing.forms import LeadFilterForm
from ecosystem.financing.models import Lead
from ecosystem.financing.selectors import bank_leads_of, overdue_q
from ecosystem.financing.views.common import bank_context, bank_staff_required, is_bank_manager
from ecosystem.financing.views.inbox_page import (
    CappedPaginator,
    RowContext,
    inbox_rows,
    requested_page,
    row_html,
)

PER_PAGE = 50
TABS = ("mine", "team", "unassigned")
S = Lead.Status


def is_overdue(lead: Lead, now) -> bool:
    return (
        lead.is_open
        and lead.due_at is not None
        and lead.due_at < now
        and lead.first_contact_at is None
    )


def _tab(request) -> str:
    tab = request.GET.get("tab") or "mine"
    return tab if tab in TABS else "mine"


def _inbox_queryset(request):
    """The tab's leads after the filters, with what the rows show (a fixed number of
    queries whatever the page size)."""
    user = request.user
    scoped = bank_leads_of(user=user)
    is_manager = is_bank_manager(user)
    tab = _tab(request)
    form = LeadFilterForm(request.GET or None, products=selectors.products_visible_to(user=user))
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
            leads = leads.filter(overdue_q(timezone.now()))
    # Revoked consent hides the enterprise from the bank at once (rows carry ``consented``,
    # see selectors.leads), in the inbox and its search too.
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        leads = leads.filter(consented=True).filter(
            Q(enterprise__name__icontains=q) | Q(enterprise__uscc__iexact=q)
        )
    leads = leads.prefetch_related(None).order_by("due_at", "-created_at", "-id")
    return tab, is_manager, form, leads


def _query_string(request, **drop) -> str:
    params = request.GET.copy()
    for key in ("page", *drop):
        params.pop(key, None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


#: Access-log sections of the inbox page and its export (the enterprise sees them).
INBOX_SECTION = "leads"
EXPORT_SECTION = "leads-export"


@bank_staff_required
def lead_inbox(request):
    tab, is_manager, form, leads = _inbox_queryset(request)
    number = requested_page(request.GET.get("page"))
    page = CappedPaginator(inbox_rows(leads), PER_PAGE, number=number).get_page(number)
    now = timezone.now()
    rm_branches = scope_of(request.user).branch_ids
    calendar = calendar_overrides()
    rows = [
        {
            "lead": lead,
            "overdue": is_overdue(lead, now),
            "clock": lead_clock(lead, now, overrides=calendar),
            "can_claim": lead.assigned_to_id is None
            and lead.status == S.NEW
            and lead.branch_id in rm_branches,
        }
        for lead in page.object_list
    ]
    markup = RowContext(request)
    for row in rows:
        row["html"] = row_html(row, markup)
    # The page shows the names and credit codes of the consenting enterprises.
    access_log_record_many(
        viewer=request.user,
        seen=[(r["lead"].enterprise_id, r["lead"].bank_id) for r in rows if r["lead"].consented],
        section=INBOX_SECTION,
    )
    query = _query_string(request)
    # "Mine" empty while leads wait unassigned: say so where the empty list would be (one
    # query, on an empty page only, which skipped its rows query).
    waiting = 0
    if tab == "mine" and not rows:
        waiting = (
            bank_leads_of(user=request.user)
            .filter(assigned_to__isnull=True, status__in=workflow.OPEN)
            .count()
        )
    if waiting and not request.GET:
        # Opened plainly (from the menu or a notice) on an empty "mine" while leads wait:
        # open where the work is. An explicit ?tab=mine still shows the pointer above.
        return redirect(f"{reverse('financing_lead_inbox')}?tab=unassigned")
    return render(
        request,
        "financing/leads/inbox.html",
        bank_context(
            request,
            "leads",
            lead_tab=tab,
            form=form,
            page=page,
            rows=rows,
            unassigned_waiting=waiting,
            query=query,
            filter_query=_query_string(request, tab=True),
            export_urls=[
                reverse("financing_lead_export", args=[fmt]) + query for fmt in EXPORT_FORMATS
            ],
        ),
    )


EXPORT_HEADER = (
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


def _export_rows(leads, language, viewer):
    """Rows stream after the view returned: keep the request's language, read in chunks.

    The decline reason is its label in that language; the decline note is the bank's own
    text, so it belongs to this bank-staff export only (the enterprise's pages, the leads
    API and anything an enterprise can download never carry it). Both are fields of the
    lead itself: no query is added."""
    with translation.override(language):
        now = timezone.now()
        seen = []
        for lead in leads.iterator(chunk_size=500):
            masked = _("(consent revoked)")
            if lead.consented:
                seen.append((lead.enterprise_id, lead.bank_id))
                if len(seen) >= 500:
                    access_log_record_many(viewer=viewer, seen=seen, section=EXPORT_SECTION)
                    seen = []
            yield [
                lead.enterprise.name if lead.consented else masked,
                lead.enterprise.uscc if lead.consented else "",
                lead.product.name,
                lead.indicative_limit,
                lead.need_amount,
                lead.get_need_purpose_display(),
                lead.need_term_months,
                lead.get_need_collateral_display(),
                lead.get_status_display(),
                lead.due_at,
                is_overdue(lead, now),
                lead.branch.name,
                str(lead.assigned_to) if lead.assigned_to else "",
                lead.created_at,
                lead.get_decline_reason_display(),
                lead.decline_note,
            ]
        access_log_record_many(viewer=viewer, seen=seen, section=EXPORT_SECTION)


@bank_staff_required
def lead_export(request, fmt: str):
    fmt = export_format(fmt)
    tab, _is_manager, _form, leads = _inbox_queryset(request)
    return export_response(
        fmt,
        f"leads-{tab}-{timezone.localdate():%Y%m%d}",
        [str(h) for h in EXPORT_HEADER],
        _export_rows(leads, translation.get_language(), request.user),
        sheet_title=str(_("leads")),
    )
