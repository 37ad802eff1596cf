"""Bank pages: the matches of the bank's products, masked without consent, and exports."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from ecosystem.core.export_jobs.views import export_or_job
from ecosystem.core.gates import EXPORT_FORMATS, export_format
from ecosystem.financing import selectors
from ecosystem.financing.exports import MATCHES, list_filters, match_filter
from ecosystem.financing.views.common import bank_context, bank_staff_required, log_unmasked

PER_PAGE = 50


def _filtered(request):
    """The list's filter form and the product it names (the matches are read by the page
    or the export)."""
    return match_filter(user=request.user, filters=list_filters(request.GET))


@bank_staff_required
def bank_matches(request):
    form, product = _filtered(request)
    # The same matches in the same order, read a page at a time (selectors.bank_matches).
    matches = selectors.bank_match_list(user=request.user, product=product)
    page = Paginator(matches, PER_PAGE).get_page(request.GET.get("page"))
    log_unmasked(request, page.object_list, section="matches")
    query = f"?product={product.pk}" if product else ""
    return render(
        request,
        "financing/bank_matches.html",
        bank_context(
            request,
            "matches",
            form=form,
            page=page,
            rows=selectors.match_rows(page.object_list),
            total=f"{matches.total_exposure:,.2f}",
            export_urls=[
                reverse("financing_bank_matches_export", args=[fmt]) + query
                for fmt in EXPORT_FORMATS
            ],
            query=query,
        ),
    )


@bank_staff_required
def bank_matches_export(request, fmt: str):
    """The filtered matches: streamed at once, or as an export job past the row limit
    (every match of every bank is 1.5 million nationally)."""
    fmt = export_format(fmt)
    _form, product = _filtered(request)
    filters = {"product": str(product.pk)} if product else {}
    return export_or_job(request, kind=MATCHES, fmt=fmt, filters=filters)
