"""Registry writes: list uploads and imports, automatic verification and revocation."""

from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.events import REGISTRY_ENTRIES_CHANGED, publish
from ecosystem.core.outbox import send_after_commit
from ecosystem.core.services import audit_record
from ecosystem.registries import analysis, loader, parsing
from ecosystem.registries.models import ImportRowError, ListImport, RegistryEntry
from ecosystem.registries.permissions import can_manage_program

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 20_000
PREVIEW_ROWS = 10
#: First key of the PostgreSQL advisory lock one run of an import holds ("KJ" + 1).
RUN_LOCK_NAMESPACE = 0x4B4A01


def _require_officer(actor, program) -> None:
    if not can_manage_program(actor, program):
        raise ApplicationError(_("Not found."), code="not_found", status=404)


def list_import_upload(*, actor, program, batch: str, upload) -> ListImport:
    """Store an uploaded list, read every sheet and run the dry run the preview shows;
    nothing is imported before confirmation.

    An unreadable file or one with no sheet holding a header is refused with a clear
    message and leaves nothing behind.
    """
    _require_officer(actor, program)
    batch = (batch or "").strip()
    if not batch:
        raise ApplicationError(_("Name the batch this list belongs to."), code="batch_required")
    limit = settings.LIST_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ApplicationError(
            _("The file is %(size)d MB; at most %(mb)d MB can be uploaded. Split the list.")
            % {"size": upload.size // 2**20, "mb": limit // 2**20},
            code="upload_too_large",
        )
    raw = upload.read()
    book = parsing.open_book(raw, name=upload.name)
    dry_run, cleaned = analysis.analyse(book, program=program, batch=batch[:64], sheets=None)
    first = book.usable[0]
    with transaction.atomic():
        list_import = ListImport(
            program=program,
            batch=batch[:64],
            original_name=(upload.name or "")[:255],
            sha256=hashlib.sha256(raw).hexdigest(),
            file_format=book.file_format,
            # A CSV's text encoding; other formats carry none (their label is shown).
            encoding=book.encoding if book.file_format == "csv" else "",
            header_map=first.mapping,
            total_rows=sum(s.total_rows for s in book.usable),
            sheets=[s["name"] for s in dry_run["sheets"]],
            analysis=dry_run,
            uploaded_by=actor,
        )
        list_import.file.save(f"list.{book.file_format}", ContentFile(raw), save=False)
        dry_run["kept"] = analysis.keep(list_import, cleaned)
        list_import.save()
        audit_record(
            actor=actor,
            verb="list_import.uploaded",
            target=list_import,
            after={"rows": list_import.total_rows, "sha256": list_import.sha256},
        )
    return list_import


def _book(list_import: ListImport, mappings: dict | None = None) -> parsing.Book:
    with list_import.file.open("rb") as handle:
        return parsing.open_book(
            handle.read(),
            name=list_import.original_name,
            mappings=list_import.mappings if mappings is None else mappings,
        )


def list_import_adjust(
    *, list_import: ListImport, actor, mappings: dict | None = None, sheets: list[str] | None
) -> ListImport:
    """Before confirmation: map columns the reader did not know and choose the sheets to
    import (None: all); the dry run is repeated so the preview shows the new outcome."""
    _require_officer(actor, list_import.program)
    with transaction.atomic():
        current = ListImport.objects.select_for_update().get(pk=list_import.pk)
        if current.status != ListImport.Status.PREVIEW:
            raise ConflictError(_("This import was already started."), code="already_started")
        mappings = current.mappings if mappings is None else mappings
        book = _book(current, mappings)
        names = [s.name for s in book.sheets]
        if sheets is not None:
            sheets = [n for n in sheets if n in names]
            if not [s for s in book.chosen(sheets)]:
                raise ApplicationError(
                    _("Choose at least one sheet that has a header row."), code="no_sheet"
                )
        if not book.usable:
            raise ApplicationError(book.sheets[0].error, code="unknown_headers")
        current.mappings, current.chosen_sheets = mappings, sheets
        current.analysis, cleaned = analysis.analyse(
            book, program=current.program, batch=current.batch, sheets=sheets
        )
        current.analysis["kept"] = analysis.keep(current, cleaned)
        current.header_map = book.chosen(sheets)[0].mapping
        current.total_rows = sum(s.total_rows for s in book.chosen(sheets))
        current.save(
            update_fields=["mappings", "chosen_sheets", "analysis", "header_map", "total_rows"]
        )
        audit_record(
            actor=actor,
            verb="list_import.adjusted",
            target=current,
            after={"mappings": mappings, "sheets": sheets},
        )
    return current


def list_import_preview(*, list_import: ListImport) -> dict:
    """The dry run stored at upload (or at the last adjustment)."""
    return list_import.analysis


def list_import_confirm(*, list_import: ListImport, actor) -> ListImport:
    from ecosystem.registries.tasks import run_list_import

    _require_officer(actor, list_import.program)
    with transaction.atomic():
        current = ListImport.objects.select_for_update().get(pk=list_import.pk)
        if current.status != ListImport.Status.PREVIEW:
            raise ConflictError(_("This import was already started."), code="already_started")
        current.status = ListImport.Status.QUEUED
        current.save(update_fields=["status"])
        audit_record(actor=actor, verb="list_import.confirmed", target=current)
        send_after_commit(run_list_import, current.pk)
    return current


def list_import_cancel(*, list_import: ListImport, actor) -> ListImport:
    _require_officer(actor, list_import.program)
    with transaction.atomic():
        current = ListImport.objects.select_for_update().get(pk=list_import.pk)
        if current.is_finished:
            raise ConflictError(_("This import has already finished."), code="finished")
        if current.status in (ListImport.Status.PREVIEW, ListImport.Status.QUEUED):
            current.status = ListImport.Status.CANCELLED
            current.finished_at = timezone.now()
            current.message = _("Cancelled before it started; nothing was imported.")
        current.cancel_requested = True
        current.save(update_fields=["status", "finished_at", "message", "cancel_requested"])
        audit_record(actor=actor, verb="list_import.cancelled", target=current)
    return current


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
        book = _book(job)
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
    labels = {k: str(v) for k, v in structure_skip_kinds().items()}
    ImportRowError.objects.bulk_create(
        [
            ImportRowError(
                list_import_id=job.pk,
                sheet=sheet[:100],
                kind=refused,
                row_number=e.row_number,
                code=e.code,
                message=e.message[:300],
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


def structure_skip_kinds() -> dict:
    from ecosystem.registries.structure import SKIP_KINDS

    return SKIP_KINDS


def entries_query(q: str):
    return Q(uscc__icontains=q) | Q(name__icontains=q)


__all__ = [
    "RegistryEntry",
    "list_import_adjust",
    "list_import_cancel",
    "list_import_confirm",
    "list_import_preview",
    "list_import_run",
    "list_import_upload",
]
