"""The rules that turn a list's row into a clean entry or a row error (the reference)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from operator import mul
from typing import TYPE_CHECKING, NamedTuple

from django.utils.translation import gettext as _

from ecosystem.core.uscc import ALPHABET, WEIGHTS

if TYPE_CHECKING:
    from ecosystem.registries.parsing import Sheet

_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_VALUE_OF = _VALUES.__getitem__
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
BAD_DATE = object()
BAD_YEAR = object()


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


def parse_date_or_bad(value) -> date | None | object:
    try:
        return parse_date(value)
    except ValueError:
        return BAD_DATE


def parse_year(text: str) -> int | None | object:
    """A year cell (already stripped): None when empty, ``BAD_YEAR`` when unreadable."""
    text = text.rstrip("年")
    if not text:
        return None
    if not text.isdecimal() or not 1990 <= int(text) <= 2100:
        return BAD_YEAR
    return int(text)


def invalid_uscc_error(row_number: int, raw_uscc: str, name: str) -> RowError:
    return RowError(
        row_number,
        "invalid_uscc",
        _("Invalid credit code (length, characters or check digit)."),
        raw_uscc,
        name,
    )


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
        )
    if row_batch and row_batch != batch:
        return RowError(
            row_number,
            "other_batch",
            _("Batch %(found)s differs from this import's batch %(batch)s.")
            % {"found": row_batch, "batch": batch},
            code,
            name,
        )
    if valid_until is BAD_DATE:
        return RowError(
            row_number,
            "bad_date",
            _("Unreadable date: %(value)s.") % {"value": date_text},
            code,
            name,
        )
    if year is BAD_YEAR:
        return RowError(
            row_number,
            "bad_year",
            _("Unreadable year: %(value)s.") % {"value": year_text.rstrip("年")},
            code,
            name,
        )
    return None


def clean_rows(sheet: Sheet, *, batch: str) -> Iterator[EntryRow | RowError]:
    """Yield one clean entry or one error per data row; duplicates refer to the first row.

    The reference for every rule; ``columns.plain_columns`` applies the same rules to a
    plain CSV column by column and must give the same result.
    """
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
            yield invalid_uscc_error(row_number, raw_uscc[:64], name)
            continue
        raw_date = cells[i_valid] if i_valid is not None and i_valid < len(cells) else None
        if raw_date not in dates:  # cells are str, numbers, dates or None: all hashable
            dates[raw_date] = parse_date_or_bad(raw_date)
        year_text = _text(cells, i_year)
        year = parse_year(year_text)
        error = row_error(
            row_number,
            code,
            name,
            duplicate_of=seen.get(code),
            row_batch=_text(cells, i_batch),
            batch=batch,
            valid_until=dates[raw_date],
            date_text=_text(cells, i_valid),
            year=year,
            year_text=year_text,
        )
        if error is not None:
            yield error
            continue
        seen[code] = row_number
        yield EntryRow(
            row_number,
            code,
            name,
            _text(cells, i_cert)[:64],
            year,
            dates[raw_date],
            _text(cells, i_region)[:100],
        )
