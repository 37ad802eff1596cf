"""The run of a confirmed list import: one run per import at a time, everything written
in one final transaction (a killed run leaves nothing half-loaded and a rerun starts clean),
progress committed as it goes so pages can poll, then the claims the list proves verified,
expired or revoked through the ``registry.entries_changed`` event."""

from __future__ import annotations

import logging
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.core.events import REGISTRY_ENTRIES_CHANGED, publish
from ecosystem.core.services import audit_record
from ecosystem.registries import analysis, loader, parsing
from ecosystem.registries.models import ImportRowError, ListImport
from ecosystem.registries.structure import SKIP_KINDS

logger = logging.getLogger("ecosystem.registries.services")
PROGRESS_EVERY = 20_000
#: First key of the PostgreSQL advisory lock one run of an import holds ("KJ" + 1).
RUN_LOCK_NAMESPACE = 0x4B4A01


def read_book(list_import: ListImport, mappings: dict | None = None) -> parsing.Book:
    """The import's file read again, with the officer's mapping (or ``mappings``)."""
    with list_import.file.open("rb") as handle:
        return parsing.open_book(
            handle.read(),
            name=list_import.original_name,
            mappings=list_import.mappings if mappings is None else mappings,
        )


def _progress(pk: int, **fields) -> None:
    """Progress is committed at once (outside the import's transaction) so pages can poll;
    each update is also the run's heartbeat (see ``stalled.list_imports_requeue_stalled``)."""
    ListImport.objects.filter(pk=pk).update(heartbeat_at=timezone.now(), **fields)


def _cancelled(pk: int) -> bool:
    return ListImport.objects.filter(pk=pk, cancel_requested=True).exists()


@contextmanager
def _run_lock(import_id: int):
    """Yield whether this process may run the import: one run per import at a time.

    A PostgreSQL session lock, so a worker killed mid-run releases it with its
    connection and a rerun can start at once; a second delivery of the same message
    while a live worker is running the import does nothing. Other databases: no lock.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RUN_LOCK_NAMESPACE, import_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK_NAMESPACE, import_id])


def list_import_run(*, import_id: int) -> ListImport:
    """Run one import. Safe to run again after a crash: all writes happen in one final
    transaction, so a killed run leaves no partial entries and a rerun starts clean.
    Safe to run twice at once: the second run finds the first one's lock and returns."""
    with _run_lock(import_id) as ours:
        if not ours:
            return ListImport.objects.get(pk=import_id)
        return _start_and_run(import_id)


def _start_and_run(import_id: int) -> ListImport:
    with transaction.atomic():
        job = ListImport.objects.select_for_update().get(pk=import_id)
        if job.is_finished or job.status == ListImport.Status.PREVIEW:
            return job
        job.status = ListImport.Status.RUNNING
        job.phase = "reading"
        job.started_at = job.heartbeat_at = timezone.now()
        for counter in (
            "processed_rows",
            "valid_rows",
            "error_rows",
            "inserted",
            "updated",
            "unchanged",
            "withdrawn",
            "claims_verified",
            "claims_revoked",
            "skipped_rows",
            "claims_expired",
            "name_matches",
        ):
            setattr(job, counter, 0)
        job.save()
    try:
        return _run(job)
    except Exception as exc:
        logger.exception("list import %s failed", import_id)
        _progress(
            import_id,
            status=ListImport.Status.FAILED,
            finished_at=timezone.now(),
            message=str(getattr(exc, "message", ""))
            or _("The import failed: %(error)s") % {"error": exc.__class__.__name__},
        )
        return ListImport.objects.get(pk=import_id)


def _finish(pk: int, status: str, message: str) -> ListImport:
    _progress(pk, status=status, message=message, phase="", finished_at=timezone.now())
    job = ListImport.objects.get(pk=pk)
    analysis.forget(job)
    return job


def _clean(job: ListImport, book: parsing.Book):
    """The cleaned list; None when cancelled while reading (checked every 20,000 rows)."""

    def tick(n: int) -> bool:
        if _cancelled(job.pk):
            return False
        _progress(job.pk, processed_rows=n)
        return True

    return analysis.clean_book(
        book,
        sheets=job.chosen_sheets,
        batch=job.batch,
        term_years=job.program.term_years,
        tick=tick,
    )


def _run(job: ListImport) -> ListImport:
    previous = (
        ListImport.objects.filter(
            program=job.program,
            batch=job.batch,
            status__in=[ListImport.Status.SUCCEEDED, ListImport.Status.UNCHANGED],
        )
        .exclude(pk=job.pk)
        .order_by("-finished_at")
        .first()
    )
    if previous and previous.sha256 == job.sha256:
        return _finish(
            job.pk,
            ListImport.Status.UNCHANGED,
            _("This file is identical to the one imported on %(when)s; nothing changed.")
            % {"when": timezone.localtime(previous.finished_at).strftime("%Y-%m-%d %H:%M")},
        )
    columns = analysis.kept(job)
    total = job.total_rows
    if columns is None:
        book = read_book(job)
        total = sum(s.total_rows for s in book.chosen(job.chosen_sheets))
        _progress(job.pk, total_rows=total)
        cleaned = _clean(job, book)
        if cleaned is None or _cancelled(job.pk):
            return _finish(
                job.pk, ListImport.Status.CANCELLED, _("Cancelled; nothing was imported.")
            )
        columns = cleaned.merged
    if _cancelled(job.pk):
        return _finish(job.pk, ListImport.Status.CANCELLED, _("Cancelled; nothing was imported."))
    errors = columns.errors
    _progress(job.pk, processed_rows=total, phase="loading")
    with transaction.atomic():
        result = loader.load_entries(
            program_id=job.program_id, batch=job.batch, import_id=job.pk, columns=columns
        )
        _record_rows(job, columns)
        outcomes = publish(
            REGISTRY_ENTRIES_CHANGED,
            program_id=job.program_id,
            withdrawn_ids=list(result.withdrawn_ids),
        )
        revoked = sum(o.get("revoked", 0) for o in outcomes)
        verified = sum(o.get("verified", 0) for o in outcomes)
        expired = sum(o.get("expired", 0) for o in outcomes)
        proposed = sum(o.get("name_matches", 0) for o in outcomes)
        changed = result.inserted + result.updated + len(result.withdrawn_ids)
        message = _(
            "Imported: %(new)d new, %(changed)d changed, %(same)d unchanged, "
            "%(gone)d withdrawn, %(errors)d rows refused, %(skipped)d rows skipped as not data."
        ) % {
            "skipped": len(columns.skipped),
            "new": result.inserted,
            "changed": result.updated,
            "same": result.unchanged,
            "gone": len(result.withdrawn_ids),
            "errors": len(errors),
        }
        if not changed:
            message = _("Nothing changed: every entry was already on the list as it is. ") + message
        ListImport.objects.filter(pk=job.pk).update(
            status=ListImport.Status.SUCCEEDED,
            phase="",
            finished_at=timezone.now(),
            valid_rows=len(columns),
            error_rows=len(errors),
            skipped_rows=len(columns.skipped),
            claims_expired=expired,
            name_matches=proposed,
            inserted=result.inserted,
            updated=result.updated,
            unchanged=result.unchanged,
            withdrawn=len(result.withdrawn_ids),
            claims_verified=verified,
            claims_revoked=revoked,
            message=message,
        )
        audit_record(
            actor=None,
            verb="list_import.succeeded",
            target=job,
            after={
                "inserted": result.inserted,
                "updated": result.updated,
                "withdrawn": len(result.withdrawn_ids),
                "errors": len(errors),
                "claims_verified": verified,
                "claims_revoked": revoked,
            },
        )
    analysis.forget(job)
    return ListImport.objects.get(pk=job.pk)


def _record_rows(job: ListImport, columns) -> None:
    """The refused rows and the rows skipped as not data, each with its sheet."""
    refused, skipped = ImportRowError.Kind.REFUSED, ImportRowError.Kind.SKIPPED
    sheets_e = getattr(columns, "sheet_of_errors", None) or [""] * len(columns.errors)
    sheets_s = getattr(columns, "sheet_of_skipped", None) or [""] * len(columns.skipped)
    labels = {k: str(v) for k, v in SKIP_KINDS.items()}
    ImportRowError.objects.bulk_create(
        [
            ImportRowError(
                list_import_id=job.pk,
                sheet=sheet[:100],
                kind=refused,
                row_number=e.row_number,
                code=e.code,
                message=e.message[:300],
                params=e.params or {},
                uscc=str(e.uscc)[:64],
                name=e.name[:200],
            )
            for e, sheet in zip(columns.errors, sheets_e, strict=True)
        ]
        + [
            ImportRowError(
                list_import_id=job.pk,
                sheet=sheet[:100],
                kind=skipped,
                row_number=s.row_number,
                code=s.kind,
                message=labels.get(s.kind, s.kind)[:300],
                name=s.text[:200],
            )
            for s, sheet in zip(columns.skipped, sheets_s, strict=True)
        ],
        batch_size=5000,
    )
