"""List import pages for registry officers: history, upload, preview, progress, row errors.

Every import is fetched through ``imports_visible_to``, so an import of another program
is a 404 like a missing one, and a refused POST reaches no service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.core.exports import export_response
from ecosystem.core.gates import export_format
from ecosystem.registries import selectors, services
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
            job.file_format.upper(),
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
    """The mapping split into found and missing fields, and the rows cut to found columns."""
    try:
        preview = services.list_import_preview(list_import=job)
    except ApplicationError as exc:
        return {"preview_error": exc.message}
    found = [i for i, (_f, _l, header) in enumerate(preview["columns"]) if header is not None]
    return {
        "preview": preview,
        "found": [preview["columns"][i] for i in found],
        "missing": [label for _f, label, header in preview["columns"] if header is None],
        "rows": [(number, [values[i] for i in found]) for number, values in preview["rows"]],
    }


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
    job = officer_import(request, pk)
    page = page_of(request, selectors.import_errors(list_import=job), ERRORS_PER_PAGE)
    return render(
        request, "registries/imports/errors.html", {"job": job, "page": page, "tab": "imports"}
    )


@login_required
def import_errors_export(request, pk: int, fmt: str):
    job = officer_import(request, pk)
    header = [
        _("row"),
        _("error code"),
        _("reason"),
        _("credit code as given"),
        _("name as given"),
    ]
    rows = selectors.import_errors(list_import=job).values_list(
        "row_number", "code", "message", "uscc", "name"
    )
    return export_response(
        export_format(fmt), f"list-import-{job.pk}-errors", header, rows.iterator(chunk_size=2000)
    )
