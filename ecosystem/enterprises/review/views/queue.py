"""The review queue: filters and search by query string (htmx swaps the results, plain
GET works without JavaScript), bulk approve or reject, and the queue as CSV or XLSX."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.core.export_jobs.views import export_or_job
from ecosystem.core.gates import EXPORT_FORMATS, export_format
from ecosystem.enterprises.review import services
from ecosystem.enterprises.review.exports import QUEUE, queue_filters
from ecosystem.enterprises.review.forms import BulkDecisionForm, QueueFilterForm
from ecosystem.enterprises.review.queue import QueueItem, review_queue
from ecosystem.enterprises.review.views.common import official_required, safe_next
from ecosystem.enterprises.workflow import ClaimStatus

PER_PAGE = 50


def item_row(item: QueueItem) -> dict:
    """One queue line, the same for claims and financial years."""
    obj = item.obj
    if item.kind == "claim":
        subject = obj.program.name
        status, status_label = obj.status, obj.get_status_display()
        url = reverse("zone_claim_review", args=[obj.pk])
    else:
        subject = _("Financial year %(year)s") % {"year": obj.year}
        status, status_label = obj.verification_status, obj.get_verification_status_display()
        url = reverse("zone_year_review", args=[obj.pk])
    return {
        "kind": item.kind,
        "pk": obj.pk,
        "enterprise": obj.enterprise,
        "subject": subject,
        "status": status,
        "status_label": status_label,
        "waiting_since": item.waiting_since,
        "age": item.age_working_days,
        "target": item.target_days,
        "overdue": item.overdue,
        "url": url,
    }


def _export_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@official_required
def queue(request):
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    items = review_queue(user=request.user, **filters)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    query = _export_query(request)
    context = {
        "filter_form": form,
        "page": page,
        "rows": [item_row(item) for item in page],
        "total": page.paginator.count,
        "overdue": items.overdue_count(),
        "export_urls": [
            reverse("zone_queue_export", args=[fmt]) + (f"?{query}" if query else "")
            for fmt in EXPORT_FORMATS
        ],
        "bulk_form": BulkDecisionForm(),
        "tab": "queue",
    }
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    response = render(
        request, "zones/_queue_results.html" if partial else "zones/queue.html", context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _claim_label(claim) -> str:
    if hasattr(claim, "enterprise"):
        return f"{claim.enterprise.name} · {claim.program.name}"
    return _("Claim #%(id)s") % {"id": claim}


@official_required
@require_POST
def queue_bulk(request):
    """Approve or reject the ticked claims with one reason; report each refusal."""
    form = BulkDecisionForm(request.POST)
    back = safe_next(request, request.POST.get("next", ""), reverse("zone_queue"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    try:
        result = services.claims_bulk_decide(
            claim_ids=data["claim"],
            actor=request.user,
            to=data["to"],
            reason_code=data["reason_code"] if data["to"] == ClaimStatus.REJECTED else "",
            reason_text=data["reason_text"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if result.done:
        if data["to"] == ClaimStatus.VERIFIED:
            text = ngettext("%(n)d claim approved.", "%(n)d claims approved.", len(result.done))
        else:
            text = ngettext("%(n)d claim rejected.", "%(n)d claims rejected.", len(result.done))
        messages.success(request, text % {"n": len(result.done)})
    for claim, reason in result.refused:
        text = _("Not decided: %(claim)s — %(reason)s")
        messages.warning(request, text % {"claim": _claim_label(claim), "reason": reason})
    return redirect(back)


@official_required
def queue_export(request, fmt: str):
    """The filtered queue: streamed at once, or as an export job past the row limit."""
    fmt = export_format(fmt)
    return export_or_job(request, kind=QUEUE, fmt=fmt, filters=queue_filters(request.GET))
