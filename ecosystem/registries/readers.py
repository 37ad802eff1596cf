"""Reading official lists as raw tables: XLSX, XLS (Excel 97-2003), PDF and HTML-as-.xls.

Authorities publish their lists as workbooks with title rows, merged cells and one sheet per
district, as old .xls files, as PDF attachments holding a table, or as an HTML table that a
web system saved with an .xls name. This module only reads the cells faithfully (merged
ranges filled with their top-left value) and refuses, with a message for people, what cannot
be read. Interpreting the table (header row, columns) happens elsewhere; CSV text stays in
``parsing``.

``sniff`` tells the format from the bytes; ``read_book`` reads it into a ``RawBook``.
The readers live in ``readers_excel``, ``readers_pdf`` and ``readers_html``.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError

Cell = str | int | float | datetime.date | datetime.datetime | None

#: A merged range (or HTML span) larger than this is left unfilled: no real list merges
#: more than a title row or a province column, and filling a sheet-wide range costs memory.
MAX_MERGE_CELLS = 100_000
#: How far into a file ``sniff`` looks for an HTML table.
HTML_SNIFF_BYTES = 2048

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_START = re.compile(rb"<(?:html|!doctype\s+html|table)\b", re.IGNORECASE)
_XML_TABLE = re.compile(rb"<table\b", re.IGNORECASE)
_SPREADSHEET_ML = b"urn:schemas-microsoft-com:office:spreadsheet"


@dataclass
class RawSheet:
    """One sheet's cells, row-major, every row as wide as the widest; merged ranges filled."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    merged: int = 0


@dataclass
class RawBook:
    """What a file held: its format, a label for people, and every sheet in order."""

    file_format: str
    label: str
    sheets: list[RawSheet]


def labels() -> dict[str, str]:
    return {
        "xlsx": _("Excel (.xlsx)"),
        "xls": _("Excel 97–2003 (.xls)"),
        "pdf": _("PDF"),
        "html": _("HTML table saved as .xls"),
    }


# --- refusals ---------------------------------------------------------------------------


def wrong_type(message: str, kind: str) -> ApplicationError:
    return ApplicationError(message, code="list_file_type", extra={"kind": kind})


def damaged(fmt: str) -> ApplicationError:
    messages = {
        "xlsx": _(
            "The workbook could not be read; it may be damaged or not really .xlsx. "
            "Open it in Excel, save it again as .xlsx and upload that."
        ),
        "xls": _(
            "The workbook could not be read; it may be damaged or not really .xls. "
            "Open it in Excel, save it as .xlsx and upload that."
        ),
        "pdf": _("The PDF could not be read; it may be damaged."),
        "html": _("The HTML table could not be read; it may be damaged."),
    }
    return ApplicationError(messages[fmt], code="list_file_damaged", extra={"format": fmt})


def encrypted() -> ApplicationError:
    return ApplicationError(
        _("The file is password-protected; remove the password and upload again."),
        code="list_file_encrypted",
    )


def max_rows() -> int:
    return int(getattr(settings, "LIST_MAX_ROWS", 1_000_000))


def too_many_rows(sheet: str) -> ApplicationError:
    limit = max_rows()
    return ApplicationError(
        _("The sheet “%(sheet)s” has more than %(max)d rows, which is not a real list; refused.")
        % {"sheet": sheet, "max": limit},
        code="list_too_many_rows",
        extra={"sheet": sheet, "max": limit},
    )


# --- sniffing ---------------------------------------------------------------------------


def sniff(raw: bytes, *, name: str = "") -> str | None:
    """The format of ``raw``: "xlsx", "xls", "pdf", "html", or None for text (CSV).

    Raises ApplicationError for files that are recognisably not a list (a Word document, a
    plain ZIP archive, a password-protected workbook, an image), saying what to do instead.
    ``name`` is the uploaded file name; the content decides, the name only words messages.
    """
    head = raw[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(raw)
    if head == OLE2_SIGNATURE:
        return _sniff_ole2(raw)
    if raw.startswith(b"%PDF-"):
        return "pdf"
    for signature, kind in _IMAGES:
        if raw.startswith(signature):
            raise wrong_type(
                _(
                    "The file is a %(kind)s image, not a list; a picture of a table cannot be "
                    "read. Upload the list as Excel (.xlsx), CSV or a text PDF."
                )
                % {"kind": kind},
                "image",
            )
    return _sniff_text(raw)


def _sniff_zip(raw: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged("xlsx") from exc
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        message = _(
            "The file is an Excel binary workbook (.xlsb), which cannot be read. "
            "Open it in Excel and save it as .xlsx."
        )
        raise wrong_type(message, "xlsb")
    if "word/document.xml" in names:
        message = _(
            "The file is a Word document (.docx), not an Excel workbook. Copy the table into "
            "Excel, save it as .xlsx and upload that."
        )
        raise wrong_type(message, "docx")
    if "ppt/presentation.xml" in names:
        message = _(
            "The file is a PowerPoint presentation (.pptx), not an Excel workbook. "
            "Upload the list as .xlsx."
        )
        raise wrong_type(message, "pptx")
    if b"opendocument.spreadsheet" in mimetype:
        message = _("The file is an OpenDocument spreadsheet (.ods). Open it and save it as .xlsx.")
        raise wrong_type(message, "ods")
    message = _(
        "The file is a ZIP archive, not an Excel workbook. Unpack it and upload the list "
        "itself (.xlsx, .xls, CSV or PDF)."
    )
    raise wrong_type(message, "zip")


def ole2_streams(raw: bytes) -> set[str]:
    """The names of the streams in an OLE2 compound file (directory entries, lower case)."""
    from xlrd import compdoc

    try:
        doc = compdoc.CompDoc(raw, logfile=io.StringIO())
    except Exception as exc:  # xlrd raises assorted errors for a broken directory
        raise damaged("xls") from exc
    return {entry.name.lower() for entry in doc.dirlist}


def _sniff_ole2(raw: bytes) -> str:
    streams = ole2_streams(raw)
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        raise encrypted()
    if "workbook" in streams or "book" in streams:
        return "xls"
    if "worddocument" in streams:
        message = _(
            "The file is a Word document (.doc), not an Excel workbook. Copy the table into "
            "Excel, save it as .xlsx and upload that."
        )
        raise wrong_type(message, "doc")
    message = _(
        "The file is an Office document without a workbook in it (not Excel). "
        "Upload the list as .xlsx, .xls, CSV or PDF."
    )
    raise wrong_type(message, "ole2")


def _sniff_text(raw: bytes) -> str | None:
    head = raw[:HTML_SNIFF_BYTES]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    if head[:64].count(0) * 4 >= len(head[:64]) > 0:  # UTF-16: ASCII is every other byte
        head = head.replace(b"\x00", b"")
    head = head.lstrip()
    if _HTML_START.match(head):
        return "html"
    if head[:5].lower() == b"<?xml":
        if _SPREADSHEET_ML in head:
            message = _(
                "The file is an Excel 2003 XML spreadsheet, which cannot be read. "
                "Open it in Excel and save it as .xlsx."
            )
            raise wrong_type(message, "spreadsheetml")
        if _XML_TABLE.search(head):
            return "html"
    return None


# --- reading ----------------------------------------------------------------------------


def read_book(raw: bytes, *, name: str = "", fmt: str) -> RawBook:
    """Read every sheet of ``raw`` (in format ``fmt``, as ``sniff`` told) into a RawBook.

    Bad input raises ApplicationError only (damaged, encrypted, too large, scanned PDF).
    """
    if fmt == "xlsx":
        from ecosystem.registries.readers_excel import read_xlsx as reader
    elif fmt == "xls":
        from ecosystem.registries.readers_excel import read_xls as reader
    elif fmt == "pdf":
        from ecosystem.registries.readers_pdf import read_pdf as reader
    elif fmt == "html":
        from ecosystem.registries.readers_html import read_html as reader
    else:
        raise ValueError(f"unknown list format {fmt!r}")
    from ecosystem.registries.parsing import gc_paused

    with gc_paused():  # a large list is millions of small objects; see gc_paused
        sheets = reader(raw)
    return RawBook(file_format=fmt, label=labels()[fmt], sheets=sheets)


# --- shared by the readers --------------------------------------------------------------


def fill_merged(rows: list[list], ranges, sheet: str) -> int:
    """Fill each merged range (0-based, inclusive: top, left, bottom, right) with its
    top-left value; returns how many ranges were filled. Rows grow as needed."""
    filled = 0
    limit = max_rows()
    for top, left, bottom, right in ranges:
        area = (bottom - top + 1) * (right - left + 1)
        if area <= 1 or area > MAX_MERGE_CELLS or top >= len(rows):
            continue
        first = rows[top]
        value = first[left] if left < len(first) else None
        if value is None:
            continue
        if bottom >= limit:
            raise too_many_rows(sheet)
        while len(rows) <= bottom:
            rows.append([])
        for index in range(top, bottom + 1):
            row = rows[index]
            if len(row) <= right:
                row.extend([None] * (right + 1 - len(row)))
            row[left : right + 1] = [value] * (right - left + 1)
        filled += 1
    return filled


def squared(rows: list[list]) -> list[list]:
    """Drop trailing empty cells and rows, then pad every row to the same width."""
    for row in rows:
        while row and (row[-1] is None):
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    return rows
