"""Excel workbooks as raw tables: .xlsx with openpyxl (read-only), .xls with xlrd.

openpyxl's read-only worksheets do not expose merged cells, so the ``<mergeCell>`` elements
are found in each sheet's XML part with a regular expression while streaming it (the part
is located through xl/workbook.xml and its relationships). Before openpyxl opens a
workbook, the unpacked size of its members is checked, so a ZIP bomb is refused unread.
"""

from __future__ import annotations

import datetime
import html
import io
import posixpath
import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.registries.readers import (
    RawSheet,
    damaged,
    encrypted,
    fill_merged,
    max_rows,
    squared,
    too_many_rows,
)

#: One member this large that is compressed this much is a bomb, not a sheet.
BOMB_MEMBER_BYTES = 10 * 1024 * 1024
BOMB_RATIO = 200

_PLAIN = frozenset({str, int, float, type(None), datetime.datetime, datetime.date})
_ATTRS = re.compile(r"""([\w:.-]+)\s*=\s*(["'])(.*?)\2""", re.DOTALL)
_SHEET = re.compile(r"<(?:\w+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b([^>]*)>")
_MERGE = re.compile(
    rb"""<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*["']"""
    rb"""\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?["']"""
)


def unzipped_max_bytes() -> int:
    return int(getattr(settings, "LIST_UNZIPPED_MAX_BYTES", 400 * 1024 * 1024))


def check_unzipped_size(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose members would unpack to too much, or one bomb-like member."""
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    bomb = any(
        info.file_size > BOMB_MEMBER_BYTES
        and info.file_size > BOMB_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if total > unzipped_max_bytes() or bomb:
        megabytes = total // (1024 * 1024)
        raise ApplicationError(
            _("The workbook would unpack to %(mb)d MB, which is not a real list; refused.")
            % {"mb": megabytes},
            code="list_zip_bomb",
            extra={"mb": megabytes},
        )


# --- xlsx -------------------------------------------------------------------------------


def read_xlsx(raw: bytes) -> list[RawSheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged("xlsx") from exc
    with archive:
        check_unzipped_size(archive)
        try:
            return _read_xlsx(raw, archive)
        except ApplicationError:
            raise
        except Exception as exc:  # openpyxl, zipfile, zlib and XML errors alike: unreadable
            raise damaged("xlsx") from exc


def _read_xlsx(raw: bytes, archive: zipfile.ZipFile) -> list[RawSheet]:
    import openpyxl

    parts = sheet_parts(archive)
    workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        sheets = []
        for title in workbook.sheetnames:
            worksheet = workbook[title]
            if not hasattr(worksheet, "iter_rows"):  # a chart sheet has no cells
                sheets.append(RawSheet(name=title, rows=[]))
                continue
            rows = xlsx_rows(worksheet, title)
            part = parts.get(title)
            merged = 0
            if part and part in archive.NameToInfo:
                merged = fill_merged(rows, merged_ranges(archive, part), title)
            sheets.append(RawSheet(name=title, rows=squared(rows), merged=merged))
        return sheets
    finally:
        workbook.close()


def xlsx_rows(worksheet, title: str) -> list[list]:
    """The sheet's values row by row (trailing empty cells dropped, blank rows as [])."""
    worksheet.reset_dimensions()  # exporters write wrong <dimension>s; read what is there
    limit = max_rows()
    rows: list[list] = []
    blank = 0  # blank rows seen since the last row with a value, appended only if one follows
    plain = _PLAIN
    for values in worksheet.iter_rows(min_row=1, min_col=1, values_only=True):
        row = list(values)
        while row and row[-1] is None:
            row.pop()
        if not row:
            blank += 1
            continue
        if len(rows) + blank >= limit:
            raise too_many_rows(title)
        if blank:
            rows.extend([] for _ in range(blank))
            blank = 0
        if not plain.issuperset(map(type, row)):
            row = [_odd_value(value) for value in row]
        rows.append(row)
    return rows


def _odd_value(value):
    """Booleans stay (they are ints); times, durations and anything else become text."""
    if isinstance(value, bool | int | float | str | datetime.date):
        return value
    return str(value)


def _attrs(text: str) -> dict[str, str]:
    return {key: html.unescape(value) for key, _quote, value in _ATTRS.findall(text)}


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part, from xl/workbook.xml and its relationships."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    try:
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {}
    for match in _RELATIONSHIP.finditer(rels):
        attrs = _attrs(match.group(1))
        if "Id" in attrs and "Target" in attrs:
            target = attrs["Target"]
            path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            targets[attrs["Id"]] = posixpath.normpath(path)
    parts = {}
    for match in _SHEET.finditer(workbook):
        attrs = _attrs(match.group(1))
        rel = next((v for k, v in attrs.items() if k.endswith(":id")), None)
        if "name" in attrs and rel in targets:
            parts[attrs["name"]] = targets[rel]
    return parts


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number - 1


def merged_ranges(archive: zipfile.ZipFile, part: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges (0-based, inclusive), streamed from its XML part."""
    ranges = []
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            buffer = carry + chunk
            end = 0
            if b"mergeCell" in buffer:
                for match in _MERGE.finditer(buffer):
                    first_col, first_row, last_col, last_row = match.groups()
                    if last_col is None:
                        continue
                    top, bottom = int(first_row) - 1, int(last_row) - 1
                    left, right = _column(first_col), _column(last_col)
                    ranges.append(
                        (min(top, bottom), min(left, right), max(top, bottom), max(left, right))
                    )
                    end = match.end()
            carry = buffer[max(end, len(buffer) - 512) :]
    return ranges


# --- xls --------------------------------------------------------------------------------


def read_xls(raw: bytes) -> list[RawSheet]:
    import xlrd

    log = io.StringIO()  # xlrd writes its warnings to a log file (stdout by default)
    try:
        try:
            book = xlrd.open_workbook(file_contents=raw, formatting_info=True, logfile=log)
        except xlrd.XLRDError as exc:
            if "encrypted" in str(exc).lower():
                raise encrypted() from exc
            book = xlrd.open_workbook(file_contents=raw, logfile=log)
        except Exception:  # some writers' formatting records trip xlrd: read the cells only
            book = xlrd.open_workbook(file_contents=raw, logfile=log)
    except ApplicationError:
        raise
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise encrypted() from exc
        raise damaged("xls") from exc
    except Exception as exc:
        raise damaged("xls") from exc
    try:
        return [_xls_sheet(book, sheet) for sheet in book.sheets()]
    except ApplicationError:
        raise
    except Exception as exc:
        raise damaged("xls") from exc


def _xls_sheet(book, sheet) -> RawSheet:
    if sheet.nrows > max_rows():
        raise too_many_rows(sheet.name)
    rows = []
    for index in range(sheet.nrows):
        types = sheet.row_types(index)
        values = sheet.row_values(index)
        rows.append(
            [_xls_value(book, kind, value) for kind, value in zip(types, values, strict=True)]
        )
    ranges = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells]
    merged = fill_merged(rows, ranges, sheet.name)
    return RawSheet(name=sheet.name, rows=squared(rows), merged=merged)


def _xls_value(book, kind: int, value):
    import xlrd

    if kind == xlrd.XL_CELL_TEXT:
        return value if value != "" else None
    if kind == xlrd.XL_CELL_NUMBER:
        if value.is_integer() and abs(value) <= 1e15:
            return int(value)
        return value
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(value, book.datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERR")
    return None
