"""Registry writes: list uploads and imports, automatic verification and revocation."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.outbox import send_after_commit
from ecosystem.core.services import audit_record
from ecosystem.registries import analysis, parsing
from ecosystem.registries.models import ListImport, RegistryEntry
from ecosystem.registries.permissions import can_manage_program

# The run of a confirmed import (the import task's work) lives in ``running``.
from ecosystem.registries.running import (  # noqa: F401  (read through services)
    PROGRESS_EVERY,
    RUN_LOCK_NAMESPACE,
    _progress,
    list_import_run,
    read_book,
)

PREVIEW_ROWS = 10


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
    if len(raw) > settings.LIST_INLINE_READ_BYTES:
        return _store_for_reading(actor=actor, program=program, batch=batch, upload=upload, raw=raw)
    book = parsing.open_book(raw, name=upload.name)
    dry_run, cleaned = analysis.analyse(book, program=program, batch=batch[:64], sheets=None)
    with transaction.atomic():
        list_import = _new_import(actor, program, batch, upload, raw, book.file_format)
        _take_dry_run(list_import, book, dry_run, cleaned)
        list_import.save()
        audit_record(
            actor=actor,
            verb="list_import.uploaded",
            target=list_import,
            after={"rows": list_import.total_rows, "sha256": list_import.sha256},
        )
    return list_import


def _new_import(actor, program, batch, upload, raw: bytes, file_format: str) -> ListImport:
    list_import = ListImport(
        program=program,
        batch=batch[:64],
        original_name=(upload.name or "")[:255],
        sha256=hashlib.sha256(raw).hexdigest(),
        file_format=file_format,
        uploaded_by=actor,
    )
    list_import.file.save(f"list.{file_format}", ContentFile(raw), save=False)
    return list_import


def _take_dry_run(list_import: ListImport, book, dry_run: dict, cleaned) -> None:
    """What the dry run found, on the import (not saved)."""
    list_import.file_format = book.file_format
    # A CSV's text encoding; other formats carry none (their label is shown).
    list_import.encoding = book.encoding if book.file_format == "csv" else ""
    list_import.header_map = book.usable[0].mapping
    list_import.total_rows = sum(s.total_rows for s in book.usable)
    list_import.sheets = [s["name"] for s in dry_run["sheets"]]
    list_import.status = ListImport.Status.PREVIEW
    dry_run["kept"] = analysis.keep(list_import, cleaned)
    list_import.analysis = dry_run


def _store_for_reading(*, actor, program, batch, upload, raw: bytes) -> ListImport:
    """A large list: refused at once when its format is wrong, else stored and read by the
    imports worker (``list_import_read``) while the page shows progress."""
    from ecosystem.registries import readers
    from ecosystem.registries.tasks import read_list_import

    fmt = readers.sniff(raw, name=upload.name) or "csv"
    with transaction.atomic():
        list_import = _new_import(actor, program, batch, upload, raw, fmt)
        list_import.status = ListImport.Status.ANALYSING
        list_import.phase = "reading"
        list_import.heartbeat_at = timezone.now()
        list_import.save()
        audit_record(
            actor=actor,
            verb="list_import.uploaded",
            target=list_import,
            after={"bytes": len(raw), "sha256": list_import.sha256},
        )
        send_after_commit(read_list_import, list_import.pk)
    return list_import


def list_import_read(*, import_id: int) -> ListImport:
    """The imports worker reads a large list and runs the dry run; the import then waits
    for confirmation. A file that cannot be read fails with the reason, and is deleted:
    nothing of it is kept. Safe to run twice."""
    job = (
        ListImport.objects.filter(pk=import_id, status=ListImport.Status.ANALYSING)
        .select_related("program", "uploaded_by")
        .first()
    )
    if job is None:
        return ListImport.objects.get(pk=import_id)
    # The preview's reasons are written in the language of the officer who uploaded.
    language = getattr(job.uploaded_by, "language", "") or translation.get_language()
    with translation.override(language):
        return _read(job)


def _read(job: ListImport) -> ListImport:

    def tick(n: int) -> bool:
        _progress(job.pk, processed_rows=n)
        return not ListImport.objects.filter(pk=job.pk, cancel_requested=True).exists()

    try:
        book = read_book(job)
        _progress(job.pk, total_rows=sum(s.total_rows for s in book.usable))
        dry_run, cleaned = analysis.analyse(
            book, program=job.program, batch=job.batch, sheets=None, tick=tick
        )
    except ApplicationError as exc:
        job.file.delete(save=False)
        ListImport.objects.filter(pk=job.pk, status=ListImport.Status.ANALYSING).update(
            status=ListImport.Status.FAILED,
            phase="",
            file="",
            message=exc.message,
            finished_at=timezone.now(),
        )
        return ListImport.objects.get(pk=job.pk)
    if cleaned is None:  # cancelled while reading
        return ListImport.objects.get(pk=job.pk)
    with transaction.atomic():
        current = ListImport.objects.select_for_update().get(pk=job.pk)
        if current.status != ListImport.Status.ANALYSING:
            return current
        _take_dry_run(current, book, dry_run, cleaned)
        current.phase, current.processed_rows = "", 0
        current.save()
    return current


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
        book = read_book(current, mappings)
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
        if current.status in (
            ListImport.Status.ANALYSING,
            ListImport.Status.PREVIEW,
            ListImport.Status.QUEUED,
        ):
            current.status = ListImport.Status.CANCELLED
            current.finished_at = timezone.now()
            current.message = _("Cancelled before it started; nothing was imported.")
        current.cancel_requested = True
        current.save(update_fields=["status", "finished_at", "message", "cancel_requested"])
        audit_record(actor=actor, verb="list_import.cancelled", target=current)
    return current


# The run of a confirmed import (the import task's work) lives in ``running``.


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
