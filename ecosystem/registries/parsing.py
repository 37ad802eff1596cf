"""Reading official lists: CSV (UTF-8, UTF-8 with BOM, GB18030), Excel (.xlsx, .xls),
an HTML table saved as .xls, or a PDF holding a table; judged by content, never by name.

``open_book`` reads every sheet, finds each one's header (``structure``), maps the usual
Chinese and English headers to fields (plus the officer's own mapping of unknown ones)
and hands ``rules.clean_rows`` the rows after it.
"""

from __future__ import annotations

import csv
import gc
import io
from contextlib import contextmanager

from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.registries import structure
from ecosystem.registries.rules import (  # noqa: F401  (the rules, read through parsing)
    BAD_DATE,
    BAD_YEAR,
    EntryRow,
    RowError,
    _check_uscc,
    _text,
    clean_name,
    clean_rows,
    invalid_uscc_error,
    parse_date,
    parse_date_or_bad,
    parse_range,
    parse_year,
    row_error,
    valid_until_from,
)
from ecosystem.registries.structure import Skipped

HEADER_SCAN_ROWS = structure.HEADER_SCAN_ROWS


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while a list is read.

    Reading 200,000 rows allocates millions of small acyclic objects (row lists, cell
    strings, entries); each allocation burst triggers collections that walk every live
    container, which made reading a large list about a third slower. Reference counting
    still frees everything; only cycle detection waits until the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Sheet:
    """One table of an opened list: its name, how it was read, where the header is, the
    rows above the header (``title_rows``) and its data rows.

    A plain CSV (see ``columns.plain_lines``) keeps its lines instead of parsed rows:
    ``columns.plain_columns`` cleans those column by column, and ``rows`` is built only
    when asked for. A sheet with no usable header has ``error`` set and no rows.
    """

    def __init__(
        self,
        file_format: str,
        encoding: str,
        headers: list[str],
        mapping: dict[str, int],
        header_row: int,
        rows: list[tuple[int, list]] | None = None,
        *,
        lines: list[str] | None = None,
        dialect=None,
        name: str = "",
        title_rows: list[Skipped] | None = None,
        default_region: str = "",
        error: str = "",
        detected: dict[str, int] | None = None,
    ) -> None:
        self.file_format, self.encoding = file_format, encoding
        self.headers, self.mapping, self.header_row = headers, mapping, header_row
        self.detected = dict(mapping) if detected is None else detected
        self.lines, self.dialect = lines, dialect
        self.name, self.title_rows = name, title_rows or []
        self.default_region, self.error = default_region, error
        self._rows = rows
        if lines is None:
            blank = _blank_text_row if file_format == "csv" else _blank_row
            self.total_rows = sum(1 for _n, cells in rows or [] if not blank(cells))
        else:
            from ecosystem.registries.columns import blank_line_positions

            data = lines[header_row:]
            self.total_rows = len(data) - len(blank_line_positions(data, dialect.delimiter))

    @property
    def name_only(self) -> bool:
        return "uscc" not in self.mapping

    @property
    def rows(self) -> list[tuple[int, list]]:
        if self._rows is None:
            self._rows = self.first_rows(None)
        return self._rows

    def all_rows(self) -> list[tuple[int, list]]:
        """Every row after the header, blank ones included (rules report them)."""
        if self.lines is None:
            return self.rows
        start = self.header_row
        return [
            (start + 1 + offset, cells)
            for offset, cells in enumerate(csv.reader(self.lines[start:], self.dialect))
        ]

    def first_rows(self, count: int | None) -> list[tuple[int, list]]:
        """The first ``count`` non-blank data rows (all when None) as (row number, cells)."""
        if self._rows is not None or self.lines is None:
            return [r for r in self.rows if any(str(c or "").strip() for c in r[1])][:count]
        rows = []
        start = self.header_row
        for offset, cells in enumerate(csv.reader(self.lines[start:], self.dialect)):
            if count is not None and len(rows) >= count:
                break
            if not _blank_text_row(cells):
                rows.append((start + 1 + offset, cells))
        return rows

    def remap(self, overrides: dict) -> None:
        """Apply the officer's mapping: {column index (str or int): field or ""}."""
        for column, field_name in (overrides or {}).items():
            column = int(column)
            if not 0 <= column < len(self.headers):
                continue
            for other, index in list(self.mapping.items()):
                if index == column or other == field_name:
                    del self.mapping[other]
            if field_name in structure.FIELD_LABELS:
                self.mapping[field_name] = column
        if "name" not in self.mapping:
            self.error = _(
                "No column is mapped to the name (企业名称); map one to import this sheet."
            )
        elif self.error and self._rows is not None:
            self.error = ""


class Book:
    """Every sheet of an opened list, in file order."""

    def __init__(self, file_format: str, encoding: str, sheets: list[Sheet]) -> None:
        self.file_format, self.encoding, self.sheets = file_format, encoding, sheets

    @property
    def usable(self) -> list[Sheet]:
        return [s for s in self.sheets if not s.error]

    def chosen(self, names: list[str] | None) -> list[Sheet]:
        """The usable sheets the officer chose (all when ``names`` is None)."""
        return [s for s in self.usable if names is None or s.name in names]


def detect_csv_encoding(raw: bytes) -> tuple[str, str]:
    """Return (codec, label) for UTF-8 with BOM, UTF-8 or GB18030; refuse anything else."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            raw.decode("utf-8-sig")
            return "utf-8-sig", "UTF-8 with BOM"
        except UnicodeDecodeError:
            pass
    else:
        try:
            raw.decode("utf-8")
            return "utf-8", "UTF-8"
        except UnicodeDecodeError:
            pass
        try:
            raw.decode("gb18030")
            return "gb18030", "GB18030"
        except UnicodeDecodeError:
            pass
    raise ApplicationError(
        _(
            "The file's text encoding is not UTF-8, UTF-8 with BOM or GB18030. Save it again "
            "as CSV UTF-8 or as an Excel workbook."
        ),
        code="bad_encoding",
    )


def open_book(raw: bytes, *, name: str = "", mappings: dict | None = None) -> Book:
    """Read every sheet of a list from bytes; ``mappings`` = {sheet name: {column: field}}.

    Raises a translated ``ApplicationError`` when the file is unusable as a whole (a format
    it cannot be, damage, no sheet with a header).
    """
    from ecosystem.registries import readers

    fmt = readers.sniff(raw, name=name)
    if fmt is None:
        book = Book("csv", "", [_csv_sheet(raw, name)])
    else:
        raw_book = readers.read_book(raw, name=name, fmt=fmt)
        several = len([s for s in raw_book.sheets if s.rows]) > 1
        sheets = [
            _table_sheet(sheet.rows, raw_book.file_format, raw_book.label, sheet.name, several)
            for sheet in raw_book.sheets
            if sheet.rows
        ]
        book = Book(raw_book.file_format, raw_book.label, sheets)
        if not sheets:
            raise ApplicationError(_("%(name)s holds no table.") % {"name": name}, code="empty")
    book.encoding = book.encoding or book.sheets[0].encoding
    for sheet in book.sheets:
        if mappings and sheet.name in mappings:
            sheet.remap(mappings[sheet.name])
    if not book.usable and not mappings:
        first = book.sheets[0]
        raise ApplicationError(first.error, code="unknown_headers")
    return book


def open_sheet(raw: bytes, *, name: str = "") -> Sheet:
    """The first usable sheet of a list (a CSV has one)."""
    return open_book(raw, name=name).usable[0]


def _no_header(table: list[list]) -> str:
    first = next((row for row in table if any(str(c or "").strip() for c in row)), [])
    seen = ", ".join(str(c).strip() for c in first if str(c or "").strip())[:300]
    return _(
        "No header row naming the firm (企业名称) and its credit code (统一社会信用代码), or for a "
        "list without codes a row number (序号) or region (省份), was found in the first %(n)d "
        "rows. First row: %(seen)s."
    ) % {"n": HEADER_SCAN_ROWS, "seen": seen or _("none")}


def _titles(table: list[list], first: int) -> list[Skipped]:
    """The non-empty rows above the header: titles and notes, skipped as not data."""
    out = []
    for index in range(first):
        texts = structure.distinct_texts(table[index])
        if texts:
            out.append(Skipped(index + 1, "title", " ".join(texts)[:200]))
    return out


def _table_sheet(table, file_format, label, sheet_name, several) -> Sheet:
    header = structure.find_header(table)
    region = structure.region_from_sheet_name(sheet_name) if several else ""
    if header is None:
        return Sheet(file_format, label, [], {}, 0, [], name=sheet_name, error=_no_header(table))
    with gc_paused():
        rows = list(enumerate(table[header.row :], start=header.row + 1))
    return Sheet(
        file_format,
        label,
        header.headers,
        header.mapping,
        header.row,
        rows,
        name=sheet_name,
        title_rows=_titles(table, header.row - header.rows),
        default_region=region,
    )


def _csv_sheet(raw: bytes, name: str) -> Sheet:
    from ecosystem.registries.columns import plain_lines

    if b"\x00" in raw[:4096]:
        raise ApplicationError(
            _("%(name)s is neither a CSV text file nor an Excel workbook.") % {"name": name},
            code="bad_format",
        )
    codec, encoding = detect_csv_encoding(raw)
    text = raw.decode(codec)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    lines = plain_lines(text, dialect)
    if lines is not None:
        head = list(csv.reader(lines[:HEADER_SCAN_ROWS], dialect))
        header = structure.find_header(head)
        if header is not None and header.rows == 1:
            return Sheet(
                "csv",
                encoding,
                header.headers,
                header.mapping,
                header.row,
                lines=lines,
                dialect=dialect,
                name="CSV",
                title_rows=_titles(head, header.row - 1),
            )
    with gc_paused():
        table = list(csv.reader(io.StringIO(text), dialect))
    return _table_sheet(table, "csv", encoding, "CSV", False)


def _blank_text_row(cells: list[str]) -> bool:
    return not "".join(cells).strip()


def _blank_row(cells: list) -> bool:
    return not any(str(c or "").strip() for c in cells)
