"""The rules that turn a list's row into a clean entry or a row error (the reference)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from operator import mul
from typing import TYPE_CHECKING, NamedTuple

from django.utils.translation import gettext as _

from ecosystem.core.uscc import ALPHABET, WEIGHTS, normalize_uscc, uscc_problem_args
from ecosystem.core.uscc import KINDS as USCC_KINDS
from ecosystem.registries.structure import Skipped, classify

if TYPE_CHECKING:
    from ecosystem.registries.parsing import Sheet

_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_VALUE_OF = _VALUES.__getitem__
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{8}"
#: "2023.12.08-2026.12.07", "2023年12月8日至2026年12月7日", "2023-12-08 ~ 2026-12-07"
_RANGE = re.compile(rf"^({_DATE})\s*(?:-|－|—|–|~|～|至|到)\s*({_DATE})$")
BAD_DATE = object()
BAD_YEAR = object()


class EntryRow(NamedTuple):
    """A clean row. A named tuple, not a dataclass: 200,000 of them are built per list,
    and the loader writes the fields after ``row_number`` to COPY as they are. ``uscc``
    is empty on a name-only list, whose rows carry ``name_key`` instead."""

    row_number: int
    uscc: str
    name: str
    certificate_number: str
    year: int | None
    valid_until: date | None
    region: str
    issued_on: date | None = None
    name_key: str = ""


@dataclass(frozen=True)
class RowError:
    """A refused row. ``message`` is the text in the language of the run (kept for old
    readers and the fallback); ``params`` are its arguments, so the page says it again in
    each reader's language from ``code`` (``registries.row_messages``)."""

    row_number: int
    code: str
    message: str
    uscc: str
    name: str
    params: dict | None = None


def _check_uscc(raw: str) -> str | None:
    """Fast path of ``validate_uscc``: the normalised code, or None when invalid."""
    if raw.isascii() and len(raw) == 18:
        code = raw.upper()
    else:
        code = normalize_uscc(raw)
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


def parse_date_or_bad(value) -> date | None | object:
    try:
        return parse_date(value)
    except ValueError:
        return parse_range(value)[1]


def parse_range(value) -> tuple[date | None, date | None | object]:
    """(issued on, valid until) of a validity cell: a date, or a range "2023.12.08-2026.12.07"
    whose start is the date of issue. ``BAD_DATE`` when unreadable."""
    if isinstance(value, (date, datetime)) or value is None or value == "":
        return None, parse_date(value)
    match = _RANGE.match(str(value).strip())
    if match is None:
        try:
            return None, parse_date(value)
        except ValueError:
            return None, BAD_DATE
    try:
        start, end = parse_date(match.group(1)), parse_date(match.group(2))
    except ValueError:
        return None, BAD_DATE
    return start, end


def valid_until_from(issued_on: date | None, term_years: int | None) -> date | None:
    """The last day of a term that starts on ``issued_on`` (3 years from 2023-12-08 run to
    2026-12-07)."""
    if issued_on is None or not term_years:
        return None
    from datetime import timedelta

    try:
        end = issued_on.replace(year=issued_on.year + term_years)
    except ValueError:  # 29 February
        end = issued_on.replace(year=issued_on.year + term_years, day=28) + timedelta(days=1)
    return end - timedelta(days=1)


def clean_name(text: str) -> str:
    """The name as published, for display: line breaks inside a cell (Alt+Enter) and runs
    of spaces removed at the ends and joined inside."""
    if "\n" in text or "\r" in text:
        text = "".join(part.strip() for part in text.splitlines())
    return text.strip()


def parse_year(text: str) -> int | None | object:
    """A year cell (already stripped): None when empty, ``BAD_YEAR`` when unreadable."""
    text = text.rstrip("年")
    if not text:
        return None
    if not text.isdecimal() or not 1990 <= int(text) <= 2100:
        return BAD_YEAR
    return int(text)


def invalid_uscc_error(row_number: int, raw_uscc, name: str) -> RowError:
    """The refusal of a code, naming its kind (length, character, check digit, a number
    Excel cut, an old registration number, an organisation code)."""
    kind, params = uscc_problem_args(raw_uscc) or ("uscc_check", {})
    message = str(USCC_KINDS[kind] % params if params else USCC_KINDS[kind])
    if isinstance(raw_uscc, (int, float)):
        from ecosystem.core.uscc import excel_display

        raw_uscc = excel_display(raw_uscc)
    return RowError(row_number, kind, message, str(raw_uscc)[:64], name, params)


def row_error(
    row_number: int,
    code: str,
    name: str,
    *,
    duplicate_of: int | None,
    row_batch: str,
    batch: str,
    valid_until,
    date_text: str,
    year,
    year_text: str,
) -> RowError | None:
    """The rules after the credit code, in order; None when the row is a clean entry."""
    if not name:
        return RowError(row_number, "missing_name", _("The name is missing."), code, "")
    if duplicate_of is not None:
        return RowError(
            row_number,
            "duplicate",
            _("Duplicate of row %(row)d in this file.") % {"row": duplicate_of},
            code,
            name,
            {"row": duplicate_of},
        )
    if row_batch and row_batch != batch:
        return RowError(
            row_number,
            "other_batch",
            _("Batch %(found)s differs from this import's batch %(batch)s.")
            % {"found": row_batch, "batch": batch},
            code,
            name,
            {"found": row_batch, "batch": batch},
        )
    if valid_until is BAD_DATE:
        return RowError(
            row_number,
            "bad_date",
            _("Unreadable date: %(value)s.") % {"value": date_text},
            code,
            name,
            {"value": date_text},
        )
    if year is BAD_YEAR:
        return RowError(
            row_number,
            "bad_year",
            _("Unreadable year: %(value)s.") % {"value": year_text.rstrip("年")},
            code,
            name,
            {"value": year_text.rstrip("年")},
        )
    return None


def clean_rows(
    sheet: Sheet, *, batch: str, term_years: int | None = None
) -> Iterator[EntryRow | RowError | Skipped]:
    """Yield per row after the header a clean entry, an error, or a ``Skipped`` row that is
    not data (sub-heading, total, footnote, repeated header); duplicates refer to the first
    row. Title rows above the header come first, as ``Skipped``.

    The reference for every rule; ``columns.plain_columns`` applies the same rules to a
    plain CSV column by column and must give the same result.
    """
    from ecosystem.registries.names import name_key

    m = sheet.mapping
    i_uscc, i_name = m.get("uscc"), m["name"]
    i_batch, i_year, i_valid = m.get("batch"), m.get("year"), m.get("valid_until")
    i_region, i_cert, i_issued = m.get("region"), m.get("certificate_number"), m.get("issued_on")
    name_only = i_uscc is None
    region = sheet.default_region
    previous_region = ""
    carry_down = i_region is not None and sheet.file_format == "pdf"
    yield from sheet.title_rows
    seen: dict[str, int] = {}
    dates: dict = {}  # a list repeats a handful of dates; parse each text once
    issued: dict = {}
    for row_number, cells in sheet.rows:
        raw_code = cells[i_uscc] if i_uscc is not None and i_uscc < len(cells) else None
        if not (type(raw_code) is str and 15 <= len(raw_code) <= 24):
            kind, text = classify(cells, m)
            if kind != "data":
                if kind == "heading":
                    region = text[:100]
                yield Skipped(row_number, kind, text[:200])
                continue
        name = clean_name(_text(cells, i_name))[:200]
        if name_only:
            code = ""
        elif isinstance(raw_code, (int, float)) and not isinstance(raw_code, bool):
            yield invalid_uscc_error(row_number, raw_code, name)
            continue
        else:
            raw_uscc = _text(cells, i_uscc)
            code = _check_uscc(raw_uscc)
            if code is None:
                yield invalid_uscc_error(row_number, raw_uscc[:64], name)
                continue
        raw_date = cells[i_valid] if i_valid is not None and i_valid < len(cells) else None
        if raw_date not in dates:  # cells are str, numbers, dates or None: all hashable
            dates[raw_date] = parse_range(raw_date)
        range_start, valid_until = dates[raw_date]
        raw_issued = cells[i_issued] if i_issued is not None and i_issued < len(cells) else None
        if raw_issued not in issued:
            issued[raw_issued] = parse_date_or_bad(raw_issued)
        issued_on = issued[raw_issued]
        if issued_on is None:
            issued_on = range_start
        year_text = _text(cells, i_year)
        year = parse_year(year_text)
        key = name_key(name) if name_only else code
        error = row_error(
            row_number,
            code,
            name,
            duplicate_of=seen.get(key) if key else None,
            row_batch=_text(cells, i_batch),
            batch=batch,
            valid_until=BAD_DATE if issued_on is BAD_DATE else valid_until,
            date_text=_text(cells, i_issued if issued_on is BAD_DATE else i_valid),
            year=year,
            year_text=year_text,
        )
        if error is not None:
            yield error
            continue
        if valid_until is None:
            valid_until = valid_until_from(issued_on, term_years)
        seen[key] = row_number
        row_region = (_text(cells, i_region)[:100] if i_region is not None else "") or region
        if carry_down:
            # A province merged down a PDF table arrives only on its first row.
            row_region = row_region or previous_region
            previous_region = row_region
        yield EntryRow(
            row_number,
            code,
            name,
            _text(cells, i_cert)[:64],
            year,
            valid_until,
            row_region,
            issued_on,
            key if name_only else "",
        )
