"""Reading official lists: CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX, judged by content.

Finds the header row (lists often carry a title line above it), maps the usual Chinese
and English headers to fields, and turns each row into a clean entry or a row error.
"""

from __future__ import annotations

import csv
import gc
import io
import re
from contextlib import contextmanager

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecosystem.core.errors import ApplicationError
from ecosystem.registries.rules import (  # noqa: F401  (the rules, read through parsing)
    BAD_DATE,
    BAD_YEAR,
    EntryRow,
    RowError,
    _check_uscc,
    _text,
    clean_rows,
    invalid_uscc_error,
    parse_date,
    parse_date_or_bad,
    parse_year,
    row_error,
)

#: Normalised header text → field. Normalising drops spaces, asterisks, brackets, case.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "uscc": (
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "统一代码",
        "企业统一社会信用代码",
        "uscc",
        "unifiedsocialcreditcode",
        "creditcode",
        "socialcreditcode",
    ),
    "name": (
        "企业名称",
        "单位名称",
        "公司名称",
        "名称",
        "企业全称",
        "enterprisename",
        "companyname",
        "name",
    ),
    "batch": ("批次", "认定批次", "入库批次", "batch"),
    "year": ("年度", "年份", "认定年度", "入库年度", "year"),
    "valid_until": (
        "有效期至",
        "有效期",
        "有效期截止",
        "截止日期",
        "有效截止日期",
        "validuntil",
        "expiry",
        "expires",
        "expirydate",
        "validto",
    ),
    "region": (
        "所属地区",
        "地区",
        "所在地区",
        "区域",
        "所属区域",
        "注册地",
        "region",
        "district",
        "area",
        "city",
    ),
    "certificate_number": (
        "证书编号",
        "入库登记编号",
        "登记编号",
        "编号",
        "证书号",
        "certificatenumber",
        "registrationnumber",
        "certificateno",
    ),
}
FIELD_LABELS = {
    "uscc": gettext_lazy("credit code"),
    "name": gettext_lazy("name"),
    "batch": gettext_lazy("batch"),
    "year": gettext_lazy("year"),
    "valid_until": gettext_lazy("valid until"),
    "region": gettext_lazy("region"),
    "certificate_number": gettext_lazy("certificate number"),
}
REQUIRED = ("uscc", "name")
_LOOKUP = {synonym: field for field, synonyms in HEADER_SYNONYMS.items() for synonym in synonyms}
_STRIP = re.compile(r"[\s*＊（）()：:\ufeff]+")
HEADER_SCAN_ROWS = 10


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


def normalise_header(text) -> str:
    return _STRIP.sub("", str(text or "")).lower()


def map_headers(cells: list) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for index, cell in enumerate(cells):
        field_name = _LOOKUP.get(normalise_header(cell))
        if field_name and field_name not in mapping:
            mapping[field_name] = index
    return mapping


class Sheet:
    """An opened list: how it was read, where the header is, and its data rows.

    A plain CSV (see ``columns.plain_lines``) keeps its lines instead of parsed rows:
    ``columns.plain_columns`` cleans those column by column, and ``rows`` is built only
    when asked for.
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
    ) -> None:
        self.file_format, self.encoding = file_format, encoding
        self.headers, self.mapping, self.header_row = headers, mapping, header_row
        self.lines, self.dialect = lines, dialect
        self._rows = rows
        if lines is None:
            self.total_rows = len(rows)
        else:
            from ecosystem.registries.columns import blank_line_positions

            data = lines[header_row:]
            self.total_rows = len(data) - len(blank_line_positions(data, dialect.delimiter))

    @property
    def rows(self) -> list[tuple[int, list]]:
        if self._rows is None:
            self._rows = self.first_rows(None)
        return self._rows

    def first_rows(self, count: int | None) -> list[tuple[int, list]]:
        """The first ``count`` non-blank data rows (all when None) as (row number, cells)."""
        if self._rows is not None or self.lines is None:
            return self.rows[:count]
        rows = []
        start = self.header_row
        for offset, cells in enumerate(csv.reader(self.lines[start:], self.dialect)):
            if count is not None and len(rows) >= count:
                break
            if not _blank_text_row(cells):
                rows.append((start + 1 + offset, cells))
        return rows


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


def open_sheet(raw: bytes, *, name: str = "") -> Sheet:
    """Read a whole list from bytes. Raises a translated ``ApplicationError`` when unusable."""
    from ecosystem.registries.columns import plain_lines

    lines = dialect = None
    if raw.startswith(b"PK\x03\x04"):
        table, file_format, encoding = _read_xlsx(raw), "xlsx", "XLSX"
    else:
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
        file_format = "csv"
        lines = plain_lines(text, dialect)
        if lines is None:
            with gc_paused():
                table = list(csv.reader(io.StringIO(text), dialect))
        else:
            table = list(csv.reader(lines[:HEADER_SCAN_ROWS], dialect))
    for index, cells in enumerate(table[:HEADER_SCAN_ROWS]):
        mapping = map_headers(cells)
        if all(required in mapping for required in REQUIRED):
            headers = [str(c or "").strip() for c in cells]
            if lines is not None:
                return Sheet(
                    file_format, encoding, headers, mapping, index + 1, lines=lines, dialect=dialect
                )
            # CSV cells are all text: a row is blank when its joined text is.
            blank = _blank_text_row if file_format == "csv" else _blank_row
            with gc_paused():
                rows = [
                    (index + 2 + n, r) for n, r in enumerate(table[index + 1 :]) if not blank(r)
                ]
            return Sheet(file_format, encoding, headers, mapping, index + 1, rows)
    seen = ", ".join(str(c).strip() for c in (table[0] if table else []) if str(c or "").strip())
    raise ApplicationError(
        _(
            "No header row with a credit code column (统一社会信用代码) and a name column "
            "(企业名称) was found in the first %(n)d rows. Headers seen: %(seen)s."
        )
        % {"n": HEADER_SCAN_ROWS, "seen": seen or _("none")},
        code="unknown_headers",
    )


def _blank_text_row(cells: list[str]) -> bool:
    return not "".join(cells).strip()


def _blank_row(cells: list) -> bool:
    return not any(str(c or "").strip() for c in cells)


def _read_xlsx(raw: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # zip or xml damage: one clear message
        raise ApplicationError(
            _("The Excel file could not be read; it may be damaged or not really .xlsx."),
            code="bad_xlsx",
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
