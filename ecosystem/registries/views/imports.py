"""List import pages for registry officers: history, upload, preview, progress, row errors.

Every import is fetched through ``imports_visible_to``, so an import of another program
is a 404 like a missing one, and a refused POST reaches no service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.core.exports import export_response
from ecosystem.core.gates import export_format
from ecosystem.registries import selectors, services, structure
from ecosystem.registries.forms import ListUploadForm
from ecosystem.registries.models import ListImport
from ecosystem.registries.views.common import PHASES, officer_import, page_of, require_officer

IMPORTS_PER_PAGE = 25
ERRORS_PER_PAGE = 100


@login_required
def import_list(request):
    require_officer(request)
    page = page_of(request, selectors.imports_visible_to(user=request.user), IMPORTS_PER_PAGE)
    return render(request, "registries/imports/index.html", {"page": page, "tab": "imports"})


@login_required
def import_list_export(request, fmt: str):
    require_officer(request)
    imports = selectors.imports_visible_to(user=request.user)
    header = [
        _("program"),
        _("batch"),
        _("file name"),
        _("format"),
        _("encoding"),
        _("status"),
        _("rows in file"),
        _("new entries"),
        _("changed entries"),
        _("unchanged entries"),
        _("withdrawn entries"),
        _("rows with errors"),
        _("claims verified"),
        _("claims revoked"),
        _("uploaded by"),
        _("uploaded at"),
    ]
    rows = (
        [
            job.program.name,
            job.batch,
            job.original_name,
            job.format_label,
            job.encoding,
            job.get_status_display(),
            job.total_rows,
            job.inserted,
            job.updated,
            job.unchanged,
            job.withdrawn,
            job.error_rows,
            job.claims_verified,
            job.claims_revoked,
            str(job.uploaded_by or ""),
            job.created_at,
        ]
        for job in imports.iterator(chunk_size=500)
    )
    return export_response(export_format(fmt), "list-imports", header, rows)


@login_required
def import_upload(request):
    require_officer(request)
    form = ListUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.list_import_upload(
                actor=request.user,
                program=form.cleaned_data["program"],
                batch=form.cleaned_data["batch"],
                upload=form.cleaned_data["file"],
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            return redirect("registry_import_detail", job.pk)
    return render(request, "registries/imports/upload.html", {"form": form, "tab": "imports"})


def _preview_context(job: ListImport) -> dict:
    """The stored dry run, shaped for the page: per sheet the column mapping (each column's
    header, the field it is read as, and the fields to choose from), rows to load, rows
    skipped as not data (with the kind in words) and rows refused with their reason."""
    dry_run = services.list_import_preview(list_import=job)
    if not dry_run:
        return {"preview_error": _("This upload has no preview; upload the file again.")}
    choices = [("", _("not imported"))] + [(f, structure.FIELD_LABELS[f]) for f in structure.FIELDS]
    sheets = []
    for index, sheet in enumerate(dry_run["sheets"]):
        by_column = {column: field for field, column in sheet["mapping"].items()}
        detected = {column: field for field, column in sheet.get("detected", {}).items()}
        columns = [
            {
                "index": column,
                "header": header,
                "field": by_column.get(column, ""),
                "label": structure.FIELD_LABELS.get(by_column.get(column, ""), ""),
                "known": column in detected,
            }
            for column, header in enumerate(sheet["headers"])
        ]
        sheets.append(
            {
                **sheet,
                "index": index,
                "columns": columns,
                "unknown": [c for c in columns if not c["known"] and c["header"]],
                "skipped_rows": [
                    (number, structure.SKIP_KINDS.get(kind, kind), text)
                    for number, kind, text in sheet.get("skipped_rows", [])
                ],
            }
        )
    term = dry_run.get("term_years")
    return {"preview": dry_run, "sheets": sheets, "choices": choices, "term_years": term}


@login_required
@require_POST
def import_adjust(request, pk: int):
    """The officer's column mapping and choice of sheets, before confirming."""
    job = officer_import(request, pk)
    names = [s["name"] for s in (job.analysis or {}).get("sheets", [])]
    chosen = [n for n in request.POST.getlist("sheets") if n in names]
    mappings = dict(job.mappings or {})
    for key, value in request.POST.items():
        parts = key.split(":")
        if len(parts) != 3 or parts[0] != "map" or not parts[1].isdigit() or not parts[2].isdigit():
            continue
        index = int(parts[1])
        if index >= len(names) or (value and value not in structure.FIELD_LABELS):
            continue
        mappings.setdefault(names[index], {})[parts[2]] = value
    try:
        services.list_import_adjust(
            list_import=job,
            actor=request.user,
            mappings=mappings,
            sheets=chosen if "sheets-form" in request.POST else job.chosen_sheets,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The preview was read again with your choices."))
    return redirect("registry_import_detail", job.pk)


@login_required
def import_detail(request, pk: int):
    """Before confirmation the preview; afterwards the progress and the result."""
    job = officer_import(request, pk)
    if job.status == ListImport.Status.PREVIEW:
        return render(
            request,
            "registries/imports/preview.html",
            {"job": job, "tab": "imports", **_preview_context(job)},
        )
    return render(
        request,
        "registries/imports/progress.html",
        {"job": job, "phase": PHASES.get(job.phase, ""), "tab": "imports"},
    )


@login_required
def import_progress(request, pk: int):
    """The polled fragment. Once the import is finished it comes back without its
    polling trigger, so htmx stops asking."""
    job = officer_import(request, pk)
    if job.status == ListImport.Status.PREVIEW and request.headers.get("HX-Request"):
        # A large list has been read: the whole page becomes its preview.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("registry_import_detail", args=[job.pk])
        return response
    return render(
        request,
        "registries/imports/_progress.html",
        {"job": job, "phase": PHASES.get(job.phase, "")},
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    job = officer_import(request, pk)
    try:
        services.list_import_confirm(list_import=job, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("registry_import_detail", job.pk)


@login_required
@require_POST
def import_cancel(request, pk: int):
    job = officer_import(request, pk)
    was_preview = job.status == ListImport.Status.PREVIEW
    try:
        services.list_import_cancel(list_import=job, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("registry_import_detail", job.pk)
    if was_preview:
        messages.info(request, _("The upload was discarded; nothing was imported."))
        return redirect("registry_imports")
    messages.info(request, _("Cancellation requested."))
    return redirect("registry_import_detail", job.pk)


@login_required
def import_errors(request, pk: int):
    """The rows refused, or (``?kind=skipped``) the rows skipped as not data."""
    job = officer_import(request, pk)
    kind = "skipped" if request.GET.get("kind") == "skipped" else "refused"
    page = page_of(request, selectors.import_errors(list_import=job, kind=kind), ERRORS_PER_PAGE)
    return render(
        request,
        "registries/imports/errors.html",
        {"job": job, "page": page, "tab": "imports", "kind": kind},
    )


@login_required
def import_errors_export(request, pk: int, fmt: str):
    job = officer_import(request, pk)
    kind = "skipped" if request.GET.get("kind") == "skipped" else "refused"
    header = [
        _("sheet"),
        _("row"),
        _("reason"),
        _("credit code as given"),
        _("name as given"),
    ]
    errors = selectors.import_errors(list_import=job, kind=kind).only(
        "sheet", "row_number", "kind", "code", "message", "params", "uscc", "name"
    )
    # The reason in the reader's language (``ImportRowError.shown_message``).
    rows = (
        (e.sheet, e.row_number, e.shown_message, e.uscc, e.name)
        for e in errors.iterator(chunk_size=2000)
    )
    return export_response(export_format(fmt), f"list-import-{job.pk}-errors", header, rows)
