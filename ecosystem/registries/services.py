"""Registry writes: list uploads and imports, automatic verification and revocation."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
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

logger = logging.getLogger(__name__)
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
        if current.status in (ListImport.Status.PREVIEW, ListImport.Status.QUEUED):
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
