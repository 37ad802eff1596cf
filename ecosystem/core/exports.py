"""Table exports to CSV and XLSX that stream and cannot smuggle spreadsheet formulas.

CSV is written row by row to the response (UTF-8 with BOM so Excel reads Chinese).
XLSX is written by openpyxl's write-only mode to a temporary file and streamed from
disk, so neither format builds the whole table in memory. XML cannot hold most control
characters, which free text (a pasted note) may carry: XLSX cells drop them before the
formula check, so "\x01=cmd" cannot become a formula either.

An export is described once as an :class:`ExportTable` (its header, its rows, and the
querysets its size is counted on); :func:`table_response` writes it while the request
waits, and the export jobs (``ecosystem.core.export_jobs``) write the same table to the
private storage in a worker when it is larger than :data:`EXPORT_ROW_LIMIT` rows, with
:func:`write_table`.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise text a spreadsheet would run as a formula; keep numbers and dates typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, (int, Decimal, float)):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


#: The exact types ``safe_cell`` returns unchanged whatever their value (numbers and dates;
#: ``bool`` and ``datetime`` are subclasses it does change, so they are not here).
_AS_IS = frozenset({int, Decimal, float, date})
#: ``FORMULA_PREFIXES`` as one string: each is one character, so a text is safe as it is
#: unless its first character is in this one (a test holds ``safe_row`` to ``safe_cell``).
_FORMULA_FIRST = "".join(FORMULA_PREFIXES)


def safe_row(row: Iterable) -> list:
    """``safe_cell`` of each value of ``row``, the values it leaves unchanged known by their
    exact type first: an export's cells are mostly numbers and plain text, and a function
    call for each of them cost more than writing it (a quarter of a national export)."""
    return [
        value
        if ((kind := type(value)) is str and (not value or value[0] not in _FORMULA_FIRST))
        or kind in _AS_IS
        or (kind is datetime and value.tzinfo is None)
        else ""
        if value is None
        else safe_cell(value)
        for value in row
    ]


def safe_text(value: str | None) -> str | None:
    """``safe_cell`` of a text column's value for rows written as they are
    (``ExportTable.safe``): the text, prefixed when a spreadsheet would run it; None stays
    None, which the CSV writer writes as ``""`` and the XLSX writer's ``safe_row`` makes
    ``""``."""
    if value and value[0] in _FORMULA_FIRST:
        return "'" + value
    return value


def _xml_text(value):
    """Text without the control characters a worksheet refuses (openpyxl raises on them)."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


class _Echo:
    def write(self, value):
        return value


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


#: Characters of CSV rows sent as one piece of a streamed response: a piece for each row
#: cost the response's per-piece work (its charset, the encoding) 7,000 times an export.
CSV_PIECE = 32 * 1024
#: Rows handed to the CSV writer at once (``writerows``), between two looks at the piece's
#: size: one ``writerow`` call and one ``tell`` per row cost more than a row's cells.
CSV_BATCH = 32


def csv_pieces(
    header: Sequence[str], rows: Iterable[Sequence], *, safe: bool = False
) -> Iterator[str]:
    """The CSV text of ``header`` (after a BOM) and ``rows``: the header alone first, before
    any row is read, then the rows in pieces of about :data:`CSV_PIECE` characters. Each
    row goes through ``safe_row`` unless ``safe`` (rows already as ``safe_cell`` makes
    them, None for ``""``: ``ExportTable.safe``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    yield "\ufeff" + csv.writer(_Echo()).writerow(safe_row(header))
    rows = iter(rows) if safe else map(safe_row, rows)
    written = 0
    while True:
        writer.writerows(islice(rows, CSV_BATCH))
        if out.tell() == written:  # no row left
            break
        written = out.tell()
        if written >= CSV_PIECE:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            written = 0
    if written:
        yield out.getvalue()


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence], *, safe: bool = False
):
    response = StreamingHttpResponse(
        csv_pieces(header, rows, safe=safe), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = _disposition(filename)
    return response


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "export"
):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([_xml_text(str(h)) for h in header])
    for row in rows:
        sheet.append(safe_row([_xml_text(v) for v in row]))
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_response(fmt: str, basename: str, header, rows, *, safe: bool = False, **kwargs):
    """``fmt`` is "csv" or "xlsx"; anything else falls back to CSV. ``safe``: the rows'
    cells are as ``safe_cell`` makes them already (``ExportTable.safe``); XLSX checks them
    again after dropping the characters a worksheet refuses."""
    if fmt == "xlsx":
        return xlsx_response(f"{basename}.xlsx", header, rows, **kwargs)
    return csv_response(f"{basename}.csv", header, rows, safe=safe)


#: Rows an export is written for while the request waits. A national scope holds hundreds
#: of thousands (every match of every bank: 1.5 million); past this the export becomes a
#: job written by a worker (``ecosystem.core.export_jobs``, docs/slow-pages.md).
EXPORT_ROW_LIMIT = 10_000


def over_export_limit(querysets, limit: int | None = None) -> bool:
    """Whether ``querysets`` together hold more than the limit; each count stops at it, so
    a national table is not counted to its end."""
    limit = EXPORT_ROW_LIMIT if limit is None else limit
    total = 0
    for queryset in querysets:
        total += _bare(queryset)[: limit + 1 - total].count()
        if total > limit:
            return True
    return False


def count_rows(querysets) -> int:
    """Every row of ``querysets`` (a job's total, counted once by the worker)."""
    return sum(_bare(queryset).count() for queryset in querysets)


def _bare(queryset):
    """``queryset`` reduced to its rows' ids: a count then leaves out the annotations it
    only shows (a match's ``consented`` probe per row), keeping those it filters on."""
    return queryset.order_by().values("pk")


@dataclass
class ExportTable:
    """One export: its file name without extension, header, rows (an iterable read once,
    lazily, in the language active while it is read) and the querysets whose rows it
    holds, counted by :func:`over_export_limit` and for a job's progress."""

    basename: str
    header: Sequence
    rows: Iterable[Sequence]
    sheet_title: str = "export"
    sources: Sequence = field(default_factory=tuple)
    #: The rows' cells are what ``safe_cell`` makes of them already, None standing for
    #: ``""`` (the CSV writer writes None so): CSV writes them as they are.
    safe: bool = False


def _in_language(rows: Iterable[Sequence], language: str | None):
    """Rows of a streamed response are read after the view returned: keep its language."""
    with translation.override(language):
        yield from rows


def table_response(table: ExportTable, fmt: str):
    """``table`` written while the request waits, in the request's language."""
    language = translation.get_language()
    return export_response(
        fmt,
        table.basename,
        [str(h) for h in table.header],
        _in_language(table.rows, language),
        safe=table.safe,
        sheet_title=str(table.sheet_title),
    )


def write_table(
    table: ExportTable, fmt: str, out, *, progress: Callable[[int], None] | None = None
) -> int:
    """``table`` as ``fmt`` into the binary file ``out``; ``progress(rows_written)`` is
    called every :data:`PROGRESS_EVERY` rows. Returns the number of rows written."""
    header = [str(h) for h in table.header]
    written = 0
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(table.sheet_title)[:31])
        sheet.append([_xml_text(h) for h in header])
        for row in table.rows:
            sheet.append(safe_row([_xml_text(v) for v in row]))
            written += 1
            if progress and written % PROGRESS_EVERY == 0:
                progress(written)
        workbook.save(out)
        return written
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    text.write("\ufeff")
    writer.writerow(safe_row(header))
    for row in table.rows:
        writer.writerow(row if table.safe else safe_row(row))
        written += 1
        if progress and written % PROGRESS_EVERY == 0:
            progress(written)
    text.flush()
    text.detach()
    return written


#: How often a job writing a table reports its progress (rows).
PROGRESS_EVERY = 2_000


def extension(fmt: str) -> str:
    return "xlsx" if fmt == "xlsx" else "csv"


def content_type(fmt: str) -> str:
    if fmt == "xlsx":
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "text/csv; charset=utf-8"
