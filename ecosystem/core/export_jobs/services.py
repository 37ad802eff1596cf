"""Export job writes: create (enqueued after commit), run (in a worker), clean up."""

from __future__ import annotations

import logging
import re
import secrets
import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ecosystem.core.errors import ApplicationError
from ecosystem.core.export_jobs import kinds
from ecosystem.core.export_jobs.models import ExportJob
from ecosystem.core.exports import count_rows, extension, write_table
from ecosystem.core.gates import EXPORT_FORMATS
from ecosystem.core.storage import private_storage

logger = logging.getLogger(__name__)

S = ExportJob.Status
#: How long a finished file stays downloadable; the beat cleanup deletes it after that.
KEEP = timedelta(days=2)
#: A job still waiting or running after this is taken as lost (its worker died twice).
STALE = timedelta(hours=6)
#: The folder of the stored exports, one folder per owner under it.
EXPORTS_DIR = "exports"
#: Finished, failed and expired jobs are listed this long, then forgotten.
HISTORY = timedelta(days=30)


def export_job_create(
    *, owner, kind: str, fmt: str, filters: dict, language: str | None = None
) -> ExportJob:
    """A job for ``owner`` (who must be allowed the kind), run by a worker after commit.
    Asking again for the same export while one is waiting or running returns that one."""
    from ecosystem.core.export_jobs.tasks import run_export_job
    from ecosystem.core.outbox import send_after_commit

    export_kind = kinds.get(kind)
    if export_kind is None or fmt not in EXPORT_FORMATS or not export_kind.allowed(owner):
        raise ApplicationError(_("This export is not available to you."), code="not_allowed")
    with transaction.atomic():
        pending = ExportJob.objects.filter(
            owner=owner, kind=kind, fmt=fmt, filters=filters, status__in=[S.QUEUED, S.RUNNING]
        ).first()
        if pending is not None:
            return pending
        job = ExportJob.objects.create(
            owner=owner,
            kind=kind,
            fmt=fmt,
            filters=filters,
            language=language or translation.get_language() or "zh-hans",
        )
        send_after_commit(run_export_job, job.pk)
    return job


def _claim(job_id: int) -> ExportJob | None:
    """Take the job for this run (a new attempt), unless it is finished or gone."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        job.status, job.attempt = S.RUNNING, job.attempt + 1
        job.started_at, job.rows_done = timezone.now(), 0
        job.save(update_fields=["status", "attempt", "started_at", "rows_done"])
    return ExportJob.objects.select_related("owner").get(pk=job_id)


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Write the job's table as its owner's scope is **now**, to the private storage.

    Safe to run twice: each run claims a new attempt, and only the latest attempt may
    report progress or finish the job; an overtaken run deletes the file it wrote."""
    job = _claim(job_id)
    if job is None:
        return None
    mine = ExportJob.objects.filter(pk=job.pk, attempt=job.attempt, status=S.RUNNING)
    export_kind, owner = kinds.get(job.kind), job.owner
    try:
        with translation.override(job.language):
            if export_kind is None or not owner.is_active or not export_kind.allowed(owner):
                raise kinds.ScopeLost
            table = export_kind.build(user=owner, filters=job.filters)
            mine.update(rows_total=count_rows(table.sources))
            name = _write(job, table, mine)
    except kinds.ScopeLost:
        return _fail(job, mine, ExportJob.Failure.NO_ACCESS)
    except Exception:  # a failed run must not stay "being prepared" for ever
        logger.exception("export job %s failed", job.pk)
        return _fail(job, mine, ExportJob.Failure.ERROR)
    return ExportJob.objects.filter(pk=job.pk).first() if name else None


def _write(job: ExportJob, table, mine) -> str | None:
    """The file written and stored; None (and nothing stored) if a later run took over."""
    ext = extension(job.fmt)
    with tempfile.TemporaryFile() as spool:
        written = write_table(
            table, job.fmt, spool, progress=lambda rows: mine.update(rows_done=rows)
        )
        size = spool.tell()
        spool.seek(0)
        token = secrets.token_hex(8)
        name = private_storage.save(
            f"{EXPORTS_DIR}/{job.owner_id}/{job.pk}-{job.attempt}-{token}.{ext}", File(spool)
        )
    now = timezone.now()
    finished = mine.update(
        status=S.DONE,
        file=name,
        file_name=f"{table.basename}.{ext}",
        rows_done=written,
        size=size,
        finished_at=now,
        expires_at=now + KEEP,
    )
    if not finished:
        private_storage.delete(name)
        return None
    return name


def _fail(job: ExportJob, mine, failure: str) -> ExportJob | None:
    """This run's job failed (unless a later run took it over): no file, a reason."""
    mine.update(status=S.FAILED, failure=failure, finished_at=timezone.now())
    return ExportJob.objects.filter(pk=job.pk).first()


def export_jobs_cleanup(*, now=None) -> int:
    """Delete the files past their expiry (the job stays listed as expired), give up on
    jobs lost for hours, forget old jobs. Returns how many files were deleted."""
    now = now or timezone.now()
    deleted = 0
    for job in ExportJob.objects.filter(status=S.DONE, expires_at__lte=now).only("pk", "file"):
        if job.file:
            private_storage.delete(job.file.name)
        deleted += ExportJob.objects.filter(pk=job.pk, status=S.DONE).update(
            status=S.EXPIRED, file=""
        )
    ExportJob.objects.filter(status__in=[S.QUEUED, S.RUNNING], created_at__lte=now - STALE).update(
        status=S.FAILED, failure=ExportJob.Failure.ERROR, finished_at=now
    )
    ExportJob.objects.filter(created_at__lte=now - HISTORY).exclude(status=S.DONE).delete()
    return deleted + _orphans_delete()


#: A stored export's name: ``exports/<owner>/<job>-<attempt>-<token>.<ext>`` (``_write``).
STORED_NAME = re.compile(r"^(?P<job>\d+)-(?P<attempt>\d+)-[0-9a-f]+\.\w+$")


def _orphans_delete() -> int:
    """Delete the stored exports no job holds: a run whose worker died between storing its
    file and finishing the job (its job was then run again, or given up as lost), or a job
    forgotten since. The file of a run still under way (its job running at that attempt)
    stays. Returns how many were deleted."""
    try:
        owners, _files = private_storage.listdir(EXPORTS_DIR)
    except FileNotFoundError:  # a local folder with no export yet
        return 0
    stored = []
    for owner in owners:
        for file in private_storage.listdir(f"{EXPORTS_DIR}/{owner}")[1]:
            found = STORED_NAME.match(file)
            if found:
                stored.append((f"{EXPORTS_DIR}/{owner}/{file}", int(found["job"]), found))
    jobs = {
        job.pk: job
        for job in ExportJob.objects.filter(pk__in={pk for _, pk, _ in stored}).only(
            "pk", "status", "attempt", "file"
        )
    }
    deleted = 0
    for name, pk, found in stored:
        job = jobs.get(pk)
        held = job is not None and (
            (job.status == S.DONE and job.file.name == name)
            or (job.status == S.RUNNING and job.attempt == int(found["attempt"]))
        )
        if not held:
            private_storage.delete(name)
            deleted += 1
    return deleted
