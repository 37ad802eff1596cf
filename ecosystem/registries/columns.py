"""A cleaned list held column by column, and a plain CSV read that way.

``clean_rows`` is the reference: it judges one row at a time. A plain CSV (no quote
character, no lone carriage return, no NUL, fields within the csv module's size limit)
splits into records at newlines and into cells at the delimiter exactly as the csv module
does, so its columns can be cut with a few C-level string operations over the whole file,
and each rule of ``clean_rows`` applied once per distinct value (dates, years, batches) or
to a whole column at once (credit-code check characters). Rows that break a rule, and
rows whose credit code occurs more than once, then go through the same rules one by one
in row order. The result is identical to ``clean_rows``; ``tests/unit/test_list_columns.py``
holds the two to that.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat

from ecosystem.core.uscc import ALPHABET, WEIGHTS
from ecosystem.registries import parsing

#: Every character ``str.isspace`` is true for: what ``str.strip()`` removes.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_BAD_SYMBOL = 0x80
_SYMBOL_VALUES = bytes(
    ALPHABET.index(chr(b)) if chr(b) in ALPHABET else _BAD_SYMBOL for b in range(256)
)
_LANE_WEIGHTS = [*WEIGHTS, 1]  # the check character counts once: a valid code sums to 0 mod 31


@dataclass
class ListColumns:
    """Valid entries as parallel columns (file order), the row errors, and the row count."""

    row_numbers: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    certificate_numbers: list[str] = field(default_factory=list)
    years: list[int | None] = field(default_factory=list)
    valid_until: list[date | None] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    issued_on: list[date | None] = field(default_factory=list)
    name_keys: list[str] = field(default_factory=list)
    errors: list[parsing.RowError] = field(default_factory=list)
    skipped: list[parsing.Skipped] = field(default_factory=list)
    total_rows: int = 0

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def name_only(self) -> bool:
        """Whether any row comes from a list without credit codes (keyed by name)."""
        return any(self.name_keys)

    @classmethod
    def from_rows(cls, rows) -> ListColumns:
        """Columns of what ``clean_rows`` yields (entries and errors, in any mix)."""
        entries, errors, skipped = [], [], []
        for row in rows:
            if isinstance(row, parsing.EntryRow):
                entries.append(row)
            elif isinstance(row, parsing.Skipped):
                skipped.append(row)
            else:
                errors.append(row)
        columns = cls(errors=errors, skipped=skipped, total_rows=len(entries) + len(errors))
        if entries:
            (
                columns.row_numbers,
                columns.codes,
                columns.names,
                columns.certificate_numbers,
                columns.years,
                columns.valid_until,
                columns.regions,
                columns.issued_on,
                columns.name_keys,
            ) = map(list, zip(*entries, strict=True))
        return columns

    def entry_rows(self) -> list[parsing.EntryRow]:
        return list(
            map(
                parsing.EntryRow,
                self.row_numbers,
                self.codes,
                self.names,
                self.certificate_numbers,
                self.years,
                self.valid_until,
                self.regions,
                self.issued_on or [None] * len(self.codes),
                self.name_keys or [""] * len(self.codes),
            )
        )


def check_codes(codes: list[str]) -> list[bool]:
    """Whether each normalised code is a valid credit code: 18 symbols of the alphabet with
    the right check character. Same answer as ``parsing._check_uscc``, for a whole column.

    The check sums ride side by side in one big integer, 16 bits per code (a sum is at
    most 128 × 306 < 2**16): for each position, the codes' symbol values become one
    integer and are added in with that position's weight, so the arithmetic runs in C.
    """
    n = len(codes)
    if not n:
        return []
    ok = [len(code) == 18 and code.isascii() for code in codes]
    if all(ok):
        blob = "".join(codes).encode("ascii")
        picked = None
    else:
        picked = [i for i, good in enumerate(ok) if good]
        blob = "".join(codes[i] for i in picked).encode("ascii")
    m = len(blob) // 18
    if not m:
        return ok
    values = blob.translate(_SYMBOL_VALUES)
    lane = bytearray(2 * m)
    total = 0
    for position, weight in enumerate(_LANE_WEIGHTS):
        lane[0::2] = values[position::18]
        total += weight * int.from_bytes(lane, "little")
    sums = memoryview(total.to_bytes(2 * m, sys.byteorder)).cast("H")
    good = [not s % 31 for s in sums]
    if _BAD_SYMBOL in values:
        for match in re.finditer(bytes([_BAD_SYMBOL]), values):
            good[match.start() // 18] = False
    if picked is None:
        return good
    for j, i in enumerate(picked):
        ok[i] = good[j]
    return ok


def plain_lines(text: str, dialect) -> list[str] | None:
    """The file's records as lines (line endings removed) when it is a plain CSV, else None."""
    if dialect.quotechar and dialect.quotechar in text:
        return None
    if dialect.escapechar and dialect.escapechar in text:
        return None
    if "\x00" in text:
        return None
    carriage_returns = text.count("\r")
    if carriage_returns:
        if carriage_returns != text.count("\r\n"):
            return None  # a lone CR: the csv module reads it differently (or refuses it)
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last record
    if lines and max(map(len, lines)) > csv.field_size_limit():
        return None
    return lines


def blank_line_positions(lines: list[str], delimiter: str) -> list[int]:
    """Positions of lines whose cells are all empty or white space (``_blank_text_row``)."""
    stripped = list(map(str.strip, lines, repeat(WHITESPACE + delimiter)))
    if "" not in stripped:
        return []
    return [i for i, s in enumerate(stripped) if not s]


def plain_columns(
    lines: list[str],
    *,
    first_line: int,
    delimiter: str,
    width: int,
    mapping: dict,
    batch: str,
    term_years: int | None = None,
) -> ListColumns:
    """Clean the data lines ``lines[first_line:]`` of a plain CSV (see ``plain_lines``).

    ``width`` is the header's cell count and ``mapping`` the header mapping; the row number
    of line ``p`` (0-based) is ``p + 1``, as in ``open_sheet``.
    """
    data = lines[first_line:]
    numbers = list(range(first_line + 1, first_line + 1 + len(data)))
    blank = blank_line_positions(data, delimiter)
    skipped = [parsing.Skipped(numbers[i], "blank", "") for i in blank]
    if blank:
        skip = set(blank)
        data = [line for i, line in enumerate(data) if i not in skip]
        numbers = [n for i, n in enumerate(numbers) if i not in skip]
    n = len(data)
    columns = ListColumns(total_rows=n, skipped=skipped)
    if not n:
        return columns
    separators = width - 1
    counts = list(map(str.count, data, repeat(delimiter)))
    if min(counts) != separators or max(counts) != separators:
        # Short rows read as empty cells, extra cells are never mapped: even them out.
        data = [
            line if count == separators else _even(line, delimiter, width)
            for line, count in zip(data, counts, strict=True)
        ]
    cells = delimiter.join(data).split(delimiter)

    def column(key: str, *, strip: bool = True) -> list[str]:
        index = mapping.get(key)
        if index is None:
            return [""] * n
        values = cells[index::width]
        return list(map(str.strip, values)) if strip else values

    raw_codes = column("uscc")
    names = _truncated(column("name"), 200)
    codes = _normalised_codes(raw_codes)
    valid_code = check_codes(codes)
    batches = column("batch")
    raw_dates = column("valid_until", strip=False)
    date_texts = column("valid_until")
    year_texts = column("year")
    years_of = {text: parsing.parse_year(text) for text in set(year_texts)}
    ranges_of = {text: parsing.parse_range(text) for text in set(raw_dates)}
    dates_of = {text: end for text, (_start, end) in ranges_of.items()}
    issued_texts = column("issued_on", strip=False)
    issued_of = {text: parsing.parse_date_or_bad(text) for text in set(issued_texts)}
    bad_batches = {b for b in set(batches) if b and b != batch}

    flagged: set[int] = set()
    if False in valid_code:
        flagged.update(i for i, ok in enumerate(valid_code) if not ok)
    if "" in names:
        flagged.update(i for i, name in enumerate(names) if not name)
    if bad_batches:
        flagged.update(i for i, b in enumerate(batches) if b in bad_batches)
    bad_dates = {text for text, value in dates_of.items() if value is parsing.BAD_DATE}
    if bad_dates:
        flagged.update(i for i, text in enumerate(raw_dates) if text in bad_dates)
    bad_issued = {text for text, value in issued_of.items() if value is parsing.BAD_DATE}
    if bad_issued:
        flagged.update(i for i, text in enumerate(issued_texts) if text in bad_issued)
    bad_years = {text for text, value in years_of.items() if value is parsing.BAD_YEAR}
    if bad_years:
        flagged.update(i for i, text in enumerate(year_texts) if text in bad_years)
    repeated = {code for code, times in Counter(codes).items() if times > 1}
    if repeated:
        flagged.update(i for i, code in enumerate(codes) if code in repeated)

    errors: dict[int, parsing.RowError] = {}
    seen: dict[str, int] = {}
    for i in sorted(flagged):  # the rules of clean_rows, in its order, row by row
        number, name = numbers[i], names[i]
        if not valid_code[i]:
            errors[i] = parsing.invalid_uscc_error(number, raw_codes[i][:64], name)
            continue
        code = codes[i]
        error = parsing.row_error(
            number,
            code,
            name,
            duplicate_of=seen.get(code),
            row_batch=batches[i],
            batch=batch,
            valid_until=(
                parsing.BAD_DATE
                if issued_of[issued_texts[i]] is parsing.BAD_DATE
                else dates_of[raw_dates[i]]
            ),
            date_text=(
                issued_texts[i].strip()
                if issued_of[issued_texts[i]] is parsing.BAD_DATE
                else date_texts[i]
            ),
            year=years_of[year_texts[i]],
            year_text=year_texts[i],
        )
        if error is None:
            seen[code] = number
        else:
            errors[i] = error

    certificates = _truncated(column("certificate_number"), 64)
    regions = _truncated(column("region"), 100)
    years = list(map(years_of.__getitem__, year_texts))
    dates = list(map(dates_of.__getitem__, raw_dates))
    issued = [
        issued_of[text] if issued_of[text] is not None else ranges_of[raw][0]
        for text, raw in zip(issued_texts, raw_dates, strict=True)
    ]
    if term_years and None in dates:
        dates = [
            d if d is not None else parsing.valid_until_from(start, term_years)
            for d, start in zip(dates, issued, strict=True)
        ]
    if errors:
        keep = [i not in errors for i in range(n)]

        def kept(values):
            return [v for v, k in zip(values, keep, strict=True) if k]

        numbers, codes, names = kept(numbers), kept(codes), kept(names)
        certificates, years, dates, regions, issued = (
            kept(certificates),
            kept(years),
            kept(dates),
            kept(regions),
            kept(issued),
        )
    columns.row_numbers, columns.codes, columns.names = numbers, codes, names
    columns.certificate_numbers, columns.years = certificates, years
    columns.valid_until, columns.regions = dates, regions
    columns.issued_on = issued
    columns.errors = [errors[i] for i in sorted(errors)]
    return columns


_DELETE = dict.fromkeys(map(ord, WHITESPACE.replace("\n", "") + "\u200b\u200c\u200d\u2060\ufeff"))


def _normalised_codes(raw_codes: list[str]) -> list[str]:
    """``normalize_uscc`` of a whole column at once (NFKC only when a code needs it)."""
    joined = "\n".join(raw_codes)
    if joined.isascii():
        joined = joined.replace(" ", "").replace("\t", "")
    else:
        import unicodedata

        joined = unicodedata.normalize("NFKC", joined).translate(_DELETE)
    return joined.upper().split("\n")


def _even(line: str, delimiter: str, width: int) -> str:
    cells = line.split(delimiter)[:width]
    return delimiter.join(cells + [""] * (width - len(cells)))


def _truncated(values: list[str], limit: int) -> list[str]:
    if values and max(map(len, values)) > limit:
        return [v[:limit] for v in values]
    return values


__all__ = ["ListColumns", "check_codes", "plain_columns", "plain_lines"]
