"""Reading official lists: CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX, judged by content.

Finds the header row (lists often carry a title line above it), maps the usual Chinese
and English headers to fields, and turns each row into a clean entry or a row error.
"""

from __future__ import annotations

import csv
import gc
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import mul
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.uscc import ALPHABET, WEIGHTS

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
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_VALUE_OF = _VALUES.__getitem__
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
HEADER_SCAN_ROWS = 10
_BAD_DATE = object()


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


@dataclass
class Sheet:
    """An opened list: how it was read, where the header is, and its data rows."""

    file_format: str
    encoding: str
    headers: list[str]
    mapping: dict[str, int]
    header_row: int
    rows: list[tuple[int, list]] = field(repr=False)

    @property
    def total_rows(self) -> int:
        return len(self.rows)


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
        with gc_paused():
            table, file_format = list(csv.reader(io.StringIO(text), dialect)), "csv"
    for index, cells in enumerate(table[:HEADER_SCAN_ROWS]):
        mapping = map_headers(cells)
        if all(required in mapping for required in REQUIRED):
            headers = [str(c or "").strip() for c in cells]
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


class EntryRow(NamedTuple):
    """A clean row. A named tuple, not a dataclass: 200,000 of them are built per list,
    and the loader writes the fields after ``row_number`` to COPY as they are."""

    row_number: int
    uscc: str
    name: str
    certificate_number: str
    year: int | None
    valid_until: date | None
    region: str


@dataclass(frozen=True)
class RowError:
    row_number: int
    code: str
    message: str
    uscc: str
    name: str


def _check_uscc(raw: str) -> str | None:
    """Fast path of ``validate_uscc``: the normalised code, or None when invalid."""
    code = raw.replace(" ", "").upper() if raw else ""
    if len(code) != 18:
        return None
    try:
        total = sum(map(mul, map(_VALUE_OF, code[:17]), WEIGHTS))
    except KeyError:
        return None
    return code if ALPHABET[-total % 31] == code[17] else None


def parse_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return date(*(int(part) for part in match.groups()))
    raise ValueError(text)


def _text(cells: list, index: int | None) -> str:
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def clean_rows(sheet: Sheet, *, batch: str) -> Iterator[EntryRow | RowError]:
    """Yield one clean entry or one error per data row; duplicates refer to the first row."""
    m = sheet.mapping
    i_uscc, i_name = m["uscc"], m["name"]
    i_batch, i_year, i_valid = m.get("batch"), m.get("year"), m.get("valid_until")
    i_region, i_cert = m.get("region"), m.get("certificate_number")
    seen: dict[str, int] = {}
    dates: dict = {}  # a list repeats a handful of dates; parse each text once
    for row_number, cells in sheet.rows:
        raw_uscc, name = _text(cells, i_uscc), _text(cells, i_name)[:200]
        code = _check_uscc(raw_uscc)
        if code is None:
            yield RowError(
                row_number,
                "invalid_uscc",
                _("Invalid credit code (length, characters or check digit)."),
                raw_uscc[:64],
                name,
            )
            continue
        if not name:
            yield RowError(row_number, "missing_name", _("The name is missing."), code, "")
            continue
        if code in seen:
            yield RowError(
                row_number,
                "duplicate",
                _("Duplicate of row %(row)d in this file.") % {"row": seen[code]},
                code,
                name,
            )
            continue
        row_batch = _text(cells, i_batch)
        if row_batch and row_batch != batch:
            yield RowError(
                row_number,
                "other_batch",
                _("Batch %(found)s differs from this import's batch %(batch)s.")
                % {"found": row_batch, "batch": batch},
                code,
                name,
            )
            continue
        raw_date = cells[i_valid] if i_valid is not None and i_valid < len(cells) else None
        if raw_date not in dates:  # cells are str, numbers, dates or None: all hashable
            try:
                dates[raw_date] = parse_date(raw_date)
            except ValueError:
                dates[raw_date] = _BAD_DATE
        valid_until = dates[raw_date]
        if valid_until is _BAD_DATE:
            yield RowError(
                row_number,
                "bad_date",
                _("Unreadable date: %(value)s.") % {"value": _text(cells, i_valid)},
                code,
                name,
            )
            continue
        year_text = _text(cells, i_year).rstrip("年")
        year = None
        if year_text:
            if not year_text.isdigit() or not 1990 <= int(year_text) <= 2100:
                yield RowError(
                    row_number,
                    "bad_year",
                    _("Unreadable year: %(value)s.") % {"value": year_text},
                    code,
                    name,
                )
                continue
            year = int(year_text)
        seen[code] = row_number
        yield EntryRow(
            row_number,
            code,
            name,
            _text(cells, i_cert)[:64],
            year,
            valid_until,
            _text(cells, i_region)[:100],
        )
