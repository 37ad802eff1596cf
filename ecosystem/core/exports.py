"""Table exports to CSV and XLSX that stream and cannot smuggle spreadsheet formulas.

CSV is written row by row to the response (UTF-8 with BOM so Excel reads Chinese).
XLSX is written by openpyxl's write-only mode to a temporary file and streamed from
disk, so neither format builds the whole table in memory. XML cannot hold most control
characters, which free text (a pasted note) may carry: XLSX cells drop them before the
formula check, so "\x01=cmd" cannot become a formula either.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

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


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff" + writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
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
        sheet.append([safe_cell(_xml_text(v)) for v in row])
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_response(fmt: str, basename: str, header, rows, **kwargs):
    """``fmt`` is "csv" or "xlsx"; anything else falls back to CSV."""
    if fmt == "xlsx":
        return xlsx_response(f"{basename}.xlsx", header, rows, **kwargs)
    return csv_response(f"{basename}.csv", header, rows)


#: Rows an export is written for while the request waits. A national scope holds hundreds
#: of thousands (every match of every bank: 1.5 million); past this the user is asked to
#: narrow the list with its filters (docs/slow-pages.md).
EXPORT_ROW_LIMIT = 20_000


def over_export_limit(querysets, limit: int | None = None) -> bool:
    """Whether ``querysets`` together hold more than the limit; each count stops at it, so
    a national table is not counted to its end."""
    limit = EXPORT_ROW_LIMIT if limit is None else limit
    total = 0
    for queryset in querysets:
        total += queryset.order_by()[: limit + 1 - total].count()
        if total > limit:
            return True
    return False


def export_refused(request, back: str):
    """Back to the list with a message: the export is too large to write while waiting."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    messages.warning(
        request,
        _(
            "This export would hold more than %(limit)s rows, too many to prepare while you "
            "wait. Narrow the list with its filters, then export again."
        )
        % {"limit": number_format(EXPORT_ROW_LIMIT, force_grouping=True)},
    )
    return redirect(back)
