"""Export pages: the export views' one entry point (``export_or_job``), the job's page with
its polled progress, the list of the user's exports, and the permission-checked download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.core.export_jobs import kinds, selectors, services
from ecosystem.core.export_jobs.models import ExportJob
from ecosystem.core.exports import content_type, over_export_limit, table_response

PER_PAGE = 25


def export_or_job(request, *, kind: str, fmt: str, filters: dict):
    """The export of ``kind`` for the request's user: written at once when it is small,
    otherwise a job for a worker, and the user is sent to its page. ``filters`` are plain
    values (ids, strings) the kind's builder reads again when the job runs."""
    from ecosystem.core import exports

    try:
        table = kinds.get(kind).build(user=request.user, filters=filters)
    except kinds.ScopeLost as exc:
        raise Http404 from exc
    if not over_export_limit(table.sources):
        return table_response(table, fmt)
    try:
        job = services.export_job_create(
            owner=request.user,
            kind=kind,
            fmt=fmt,
            filters=filters,
            language=translation.get_language(),
        )
    except ApplicationError as exc:
        raise Http404 from exc
    messages.info(
        request,
        _(
            "This export holds more than %(limit)s rows: it is being prepared, and you can "
            "download it from this page when it is ready."
        )
        % {"limit": number_format(exports.EXPORT_ROW_LIMIT, force_grouping=True)},
    )
    return redirect(job)


def _job_context(job: ExportJob) -> dict:
    export_kind = kinds.get(job.kind)
    return {
        "job": job,
        "label": kinds.label_of(job.kind),
        "back": export_kind.back(job.filters) if export_kind and export_kind.back else "",
    }


@login_required
def export_job_list(request):
    page = Paginator(selectors.export_jobs_of(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [_job_context(job) for job in page]
    return render(request, "core/exports/list.html", {"page": page, "rows": rows})


@login_required
def export_job_detail(request, pk: int):
    job = get_object_or_404(selectors.export_jobs_of(user=request.user), pk=pk)
    return render(request, "core/exports/detail.html", _job_context(job))


@login_required
def export_job_progress(request, pk: int):
    """The polled fragment; once the job is finished it comes without its polling trigger."""
    job = get_object_or_404(selectors.export_jobs_of(user=request.user), pk=pk)
    return render(request, "core/exports/_progress.html", _job_context(job))


@login_required
def export_job_download(request, pk: int):
    """The file, to its owner only, while the owner still holds the export's role; streamed
    from the private storage (no public URL exists)."""
    job = get_object_or_404(
        selectors.export_jobs_of(user=request.user), pk=pk, status=ExportJob.Status.DONE
    )
    export_kind = kinds.get(job.kind)
    if not job.file or export_kind is None or not export_kind.allowed(request.user):
        raise Http404
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file_name or job.file.name.rsplit("/", 1)[-1],
        content_type=content_type(job.fmt),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
