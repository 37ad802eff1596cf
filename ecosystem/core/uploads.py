"""Judge uploaded files by their content, never by name or browser-declared type."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError

#: Leading bytes of the kinds we accept.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
#: Leading bytes of things we name in the error: executables and archives.
DANGEROUS = {
    b"MZ": "Windows executable",
    b"\x7fELF": "Linux executable",
    b"\xcf\xfa\xed\xfe": "macOS executable",
    b"#!": "script",
    b"PK\x03\x04": "ZIP archive",
}


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    for kind, prefixes in SIGNATURES.items():
        if head.startswith(prefixes):
            return kind
    return None


def check_upload(
    upload: UploadedFile,
    *,
    allowed: tuple[str, ...] = ("pdf", "jpeg", "png"),
    max_bytes: int | None = None,
) -> CheckedUpload:
    """Return the detected kind, size and hash, or raise a translated ``ApplicationError``."""
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    name = getattr(upload, "name", "") or ""
    if upload.size is not None and upload.size > limit:
        raise ApplicationError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="upload_too_large",
        )
    if not upload.size:
        raise ApplicationError(_("%(name)s is empty.") % {"name": name}, code="upload_empty")
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head)
    if kind is None or kind not in allowed:
        what = next((label for magic, label in DANGEROUS.items() if head.startswith(magic)), None)
        accepted = ", ".join(k.upper() for k in allowed)
        if what:
            message = _("%(name)s is not a document but a %(what)s. Accepted: %(accepted)s.") % {
                "name": name,
                "what": what,
                "accepted": accepted,
            }
        else:
            message = _(
                "%(name)s is not a real %(accepted)s file (its content was checked, not its name)."
            ) % {"name": name, "accepted": accepted}
        raise ApplicationError(message, code="upload_bad_type")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(kind=kind, size=upload.size, sha256=digest.hexdigest())


#: How far from the end a PDF's ``%%EOF`` marker may sit (trailing whitespace, an editor's
#: padding).
PDF_TRAILER_WINDOW = 1024


def is_well_formed_pdf(data: bytes) -> bool:
    """Whether ``data`` is a PDF a viewer can show: a ``%PDF-`` header, a ``%%EOF`` trailer
    and a document PDFium opens with at least one page. A file that only starts like a
    PDF (``%PDF-<html>…``, a polyglot) is not: it is served as a download, never inline."""
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-PDF_TRAILER_WINDOW:]:
        return False
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return False
    try:
        return len(document) > 0
    finally:
        document.close()
