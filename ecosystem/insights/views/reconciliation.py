"""Reconciliation of the official lists against registered enterprises, and entry look-up.

Officers see their programs' lists; zone officials and bank staff see every list (their
outreach list limited to their regions by the selector). Everybody else gets a 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ecosystem.core.exports import export_response
from ecosystem.core.gates import EXPORT_FORMATS, export_format
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.insights.reconciliation import list_claims, outreach_entries
from ecosystem.insights.reconciliation import reconciliation as reconciliation_figures
from ecosystem.registries import selectors
from ecosystem.registries.views.common import page_of

OUTREACH_PER_PAGE = 50
CLAIMS_SHOWN = 50
TABLES = ("outreach", "verified", "revoked")


def _list_programs(request):
    programs = selectors.outreach_programs_for(user=request.user)
    if not programs.exists():
        raise Http404
    return programs


def _program_batch(request, program_pk: int):
    """The (program, batch) of a list the user may reconcile; anything else is a 404."""
    program = get_object_or_404(_list_programs(request), pk=program_pk)
    batch = request.GET.get("batch", "")
    batches = selectors.batches_visible_to(user=request.user)
    if not batch or not batches.filter(program_id=program.pk, batch=batch).exists():
        raise Http404
    return program, batch


@login_required
def list_index(request):
    programs = _list_programs(request)
    batches = selectors.batch_list_visible_to(user=request.user)
    by_pk = programs.in_bulk({b["program_id"] for b in batches})
    lists = [(by_pk[b["program_id"]], b["batch"]) for b in batches if b["program_id"] in by_pk]
    return render(request, "registries/lists/index.html", {"lists": lists, "tab": "lists"})


def _export_url(program, batch: str, table: str, fmt: str) -> str:
    url = reverse("registry_reconciliation_export", args=[program.pk, table, fmt])
    return f"{url}?{urlencode({'batch': batch})}"


@login_required
def reconciliation(request, program_pk: int):
    program, batch = _program_batch(request, program_pk)
    figures = reconciliation_figures(program=program, batch=batch, user=request.user)
    return render(
        request,
        "registries/lists/reconciliation.html",
        {
            "program": program,
            "batch": batch,
            "figures": figures,
            "outreach": page_of(request, figures["outreach"], OUTREACH_PER_PAGE),
            "verified": figures["claims_verified"].order_by("enterprise__name")[:CLAIMS_SHOWN],
            "verified_count": figures["claims_verified"].count(),
            "revoked": figures["claims_revoked"].order_by("enterprise__name")[:CLAIMS_SHOWN],
            "revoked_count": figures["claims_revoked"].count(),
            "claims_shown": CLAIMS_SHOWN,
            "export_urls": {
                table: [_export_url(program, batch, table, fmt) for fmt in EXPORT_FORMATS]
                for table in TABLES
            },
            "tab": "lists",
        },
    )


def _claim_rows(claims):
    for claim in claims.order_by("enterprise__name").iterator(chunk_size=500):
        yield [
            claim.enterprise.uscc,
            claim.enterprise.name,
            claim.get_status_display(),
            claim.certificate_number,
            claim.year,
            claim.valid_until,
            claim.decided_at,
        ]


@login_required
def reconciliation_export(request, program_pk: int, table: str, fmt: str):
    """The outreach list (listed but not registered) and the claim lists, as CSV or XLSX."""
    if table not in TABLES:
        raise Http404
    fmt = export_format(fmt)
    program, batch = _program_batch(request, program_pk)
    basename = f"{program.code}-{slugify(batch, allow_unicode=True)}-{table}"
    if table == "outreach":
        header = [
            _("credit code"),
            _("name"),
            _("region"),
            _("certificate number"),
            _("year"),
            _("valid until"),
        ]
        outreach = outreach_entries(program=program, batch=batch, user=request.user)
        rows = outreach.values_list(
            "uscc", "name", "region", "certificate_number", "year", "valid_until"
        )
        return export_response(fmt, basename, header, rows.iterator(chunk_size=2000))
    header = [
        _("credit code"),
        _("enterprise"),
        _("status"),
        _("certificate number"),
        _("year"),
        _("valid until"),
        _("decided at"),
    ]
    status = ClaimStatus.VERIFIED if table == "verified" else ClaimStatus.REVOKED
    claims = list_claims(program=program, batch=batch).filter(status=status)
    return export_response(fmt, basename, header, _claim_rows(claims.select_related("enterprise")))
