"""The relationship manager's inbox (mine, my team's, unassigned) with filters, search
and exports. Rows come from ``selectors.leads.bank_leads_of``; the page makes a fixed
number of queries whatever its size (tests/unit/test_lead_query_counts.py)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ecosystem.accounts.scope import scope_of
from ecosystem.core.export_jobs.views import export_or_job
from ecosystem.core.gates import EXPORT_FORMATS, export_format
from ecosystem.core.workdays import calendar_overrides
from ecosystem.enterprises.services import access_log_record_many
from ecosystem.financing import workflow
from ecosystem.financing.clocks import lead_clock
from ecosystem.financing.exports import LEADS, inbox_leads, is_overdue, list_filters
from ecosystem.financing.models import Lead
from ecosystem.financing.selectors import bank_leads_of
from ecosystem.financing.views.common import bank_context, bank_staff_required, is_bank_manager
from ecosystem.financing.views.inbox_page import (
    CappedPaginator,
    RowContext,
    inbox_rows,
    requested_page,
    row_html,
)

PER_PAGE = 50
S = Lead.Status

__all__ = ["is_overdue", "lead_export", "lead_inbox"]


def _inbox_queryset(request):
    """The tab's leads after the filters, with what the rows show (a fixed number of
    queries whatever the page size)."""
    tab, form, leads = inbox_leads(user=request.user, params=request.GET)
    return tab, is_bank_manager(request.user), form, leads


def _query_string(request, **drop) -> str:
    params = request.GET.copy()
    for key in ("page", *drop):
        params.pop(key, None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


#: Access-log section of the inbox page (the enterprise sees it).
INBOX_SECTION = "leads"


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


@bank_staff_required
def lead_export(request, fmt: str):
    """The tab's filtered leads: streamed at once, or as an export job past the row limit."""
    fmt = export_format(fmt)
    filters = list_filters(request.GET)
    if filters.get("product"):
        _tab, _is_manager, form, _leads = _inbox_queryset(request)
        if not (form.is_valid() and form.cleaned_data["product"]):
            filters.pop("product")  # as the page: a product outside the bank is no filter
    return export_or_job(request, kind=LEADS, fmt=fmt, filters=filters)
