"""A list read as a whole: every chosen sheet cleaned, merged into one batch, and the dry
run the officer sees before confirming (rows to load, skipped as not data, refused, and
what will happen to claims).

The run of an import (``services.list_import_run``) cleans through ``clean_book`` too, so
the preview and the import can never count differently.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.core.events import REGISTRY_ENTRIES_PREVIEW, publish
from ecosystem.registries import parsing, structure
from ecosystem.registries.columns import ListColumns, plain_columns
from ecosystem.registries.rules import RowError, Skipped

#: Rows of each kind the preview lists (the rest are counted, and listed after the import).
LISTED = 50


class Cleaned:
    """Per sheet: the sheet and its cleaned columns; and all sheets merged."""

    def __init__(self, parts: list[tuple[parsing.Sheet, ListColumns]], merged: ListColumns):
        self.parts, self.merged = parts, merged


def clean_sheet(
    sheet: parsing.Sheet,
    *,
    batch: str,
    term_years: int | None,
    tick: Callable[[int], bool] | None = None,
) -> ListColumns | None:
    """One sheet cleaned; None when ``tick`` (called every 20,000 rows) says stop."""
    if sheet.lines is not None and "uscc" not in sheet.mapping:
        # A name-only list: small, and judged row by row (names are its keys).
        sheet._rows = sheet.all_rows()
        sheet.lines = None
    if sheet.lines is not None:
        columns = plain_columns(
            sheet.lines,
            first_line=sheet.header_row,
            delimiter=sheet.dialect.delimiter,
            width=len(sheet.headers),
            mapping=sheet.mapping,
            batch=batch,
            term_years=term_years,
        )
        columns.skipped[:0] = sheet.title_rows
        if not columns.errors or not _has_non_data(sheet, columns):
            return columns
        # Rows the fast path refused include sub-headings, totals or notes: the row-wise
        # reference judges every row (and carries a sub-heading's region).
        sheet._rows = sheet.all_rows()
        sheet.lines = None
    rows = []
    with parsing.gc_paused():
        for n, row in enumerate(
            parsing.clean_rows(sheet, batch=batch, term_years=term_years), start=1
        ):
            rows.append(row)
            if tick is not None and n % 20_000 == 0 and not tick(n):
                return None
    return ListColumns.from_rows(rows)


def _has_non_data(sheet: parsing.Sheet, columns: ListColumns) -> bool:
    import csv

    refused = {e.row_number for e in columns.errors}
    for number in sorted(refused):
        cells = next(csv.reader([sheet.lines[number - 1]], sheet.dialect), [])
        if structure.classify(cells, sheet.mapping)[0] != "data":
            return True
    return False


def clean_book(
    book: parsing.Book,
    *,
    sheets: list[str] | None,
    batch: str,
    term_years: int | None,
    tick: Callable[[int], bool] | None = None,
) -> Cleaned | None:
    """Every chosen sheet cleaned and merged; a code (or, on a name-only list, a name)
    listed on an earlier sheet is refused as a duplicate of that row."""
    parts = []
    for sheet in book.chosen(sheets):
        columns = clean_sheet(sheet, batch=batch, term_years=term_years, tick=tick)
        if columns is None:
            return None
        parts.append((sheet, columns))
    return Cleaned(parts, merge([(s.name, c) for s, c in parts], several=len(parts) > 1))


def merge(parts: list[tuple[str, ListColumns]], *, several: bool) -> ListColumns:
    if len(parts) == 1:
        name, only = parts[0]
        only.sheet_of_errors = [name] * len(only.errors)
        only.sheet_of_skipped = [name] * len(only.skipped)
        only.sheet_of_entries = None  # one sheet: every entry is its
        return only
    merged = ListColumns()
    merged.sheet_of_errors, merged.sheet_of_skipped, merged.sheet_of_entries = [], [], []
    seen: dict[str, tuple[str, int]] = {}
    for sheet_name, columns in parts:
        for row in columns.entry_rows():
            key = row.uscc or "name:" + row.name_key
            if key in seen:
                first_sheet, first_row = seen[key]
                merged.errors.append(
                    RowError(
                        row.row_number,
                        "duplicate",
                        _("Duplicate of row %(row)d on sheet %(sheet)s.")
                        % {"row": first_row, "sheet": first_sheet},
                        row.uscc,
                        row.name,
                        {"row": first_row, "sheet": first_sheet},
                    )
                )
                merged.sheet_of_errors.append(sheet_name)
                continue
            seen[key] = (sheet_name, row.row_number)
            merged.sheet_of_entries.append(sheet_name)
            for attribute, value in zip(_ATTRIBUTES, row, strict=True):
                getattr(merged, attribute).append(value)
        merged.errors += columns.errors
        merged.sheet_of_errors += [sheet_name] * len(columns.errors)
        merged.skipped += columns.skipped
        merged.sheet_of_skipped += [sheet_name] * len(columns.skipped)
        merged.total_rows += columns.total_rows
    return merged


_ATTRIBUTES = (
    "row_numbers",
    "codes",
    "names",
    "certificate_numbers",
    "years",
    "valid_until",
    "regions",
    "issued_on",
    "name_keys",
)


def analyse(
    book: parsing.Book,
    *,
    program,
    batch: str,
    sheets: list[str] | None,
    tick: Callable[[int], bool] | None = None,
) -> tuple[dict, Cleaned | None]:
    """The dry run: per sheet what was found and what would load, and the claim outcomes;
    and the cleaned list itself, which the run reuses (``keep`` / ``kept``)."""
    cleaned = clean_book(book, sheets=sheets, batch=batch, term_years=program.term_years, tick=tick)
    if cleaned is None:
        return {}, None
    today = timezone.localdate()
    merged = cleaned.merged
    current = [
        code
        for code, until in zip(merged.codes, merged.valid_until, strict=True)
        if code and (until is None or until >= today)
    ]
    expired = [
        code
        for code, until in zip(merged.codes, merged.valid_until, strict=True)
        if code and until is not None and until < today
    ]
    outcomes = publish(
        REGISTRY_ENTRIES_PREVIEW,
        program_id=program.pk,
        batch=batch,
        current_codes=current,
        expired_codes=expired,
        name_keys=[(k, r) for k, r in zip(merged.name_keys, merged.regions, strict=False) if k],
    )
    claims = {"verified": 0, "expired": 0, "revoked": 0, "name_matches": 0}
    for outcome in outcomes:
        for key, value in outcome.items():
            claims[key] = claims.get(key, 0) + value
    chosen = {s.name for s, _c in cleaned.parts}
    dry_run = {
        "sheets": [_sheet_summary(s, cleaned, s.name in chosen) for s in book.sheets],
        "to_load": len(merged),
        "skipped": len(merged.skipped),
        "refused": len(merged.errors),
        "expired_entries": len(expired),
        "name_only": merged.name_only,
        "claims": claims,
        "term_years": program.term_years,
    }
    return dry_run, cleaned


def _sheet_summary(sheet: parsing.Sheet, cleaned: Cleaned, chosen: bool) -> dict:
    columns = next((c for s, c in cleaned.parts if s is sheet), None)
    merged = cleaned.merged
    summary = {
        "name": sheet.name,
        "chosen": chosen,
        "error": str(sheet.error or ""),
        "header_row": sheet.header_row,
        "headers": sheet.headers,
        "mapping": sheet.mapping,
        "detected": sheet.detected,
        "rows": sheet.total_rows + len(sheet.title_rows),
    }
    if columns is not None:
        # Counted after merging: a row repeating an earlier sheet's is refused on its own.
        name = sheet.name
        if merged.sheet_of_entries is None:  # one sheet: its entries are the list's
            entries = _head(merged, 10)
            count = len(merged)
        else:
            owners = merged.sheet_of_entries
            entries = [r for r, of in zip(merged.entry_rows(), owners, strict=True) if of == name]
            count = len(entries)
        errors = [
            e for e, of in zip(merged.errors, merged.sheet_of_errors, strict=True) if of == name
        ]
        summary.update(
            to_load=count,
            skipped=len(columns.skipped),
            refused=len(errors),
            skipped_rows=[_skipped(s) for s in columns.skipped[:LISTED]],
            refused_rows=[_refused(e) for e in errors[:LISTED]],
            sample=[
                [r.row_number, r.uscc, r.name, r.region, _day(r.valid_until)] for r in entries[:10]
            ],
        )
    return summary


def _head(columns: ListColumns, n: int):
    part = ListColumns()
    for attribute in _ATTRIBUTES:
        setattr(part, attribute, getattr(columns, attribute)[:n])
    return part.entry_rows()


# --- the cleaned list kept between the preview and the run ------------------------------
# Cleaning is most of an import's own work; the preview has done it, so the run reuses it
# unless the officer changed the mapping or sheets since (then the preview ran again and
# kept its new result). The kept file sits in the private storage beside the upload; its
# digest is stored with the import, and a file that does not match is not used.


def keep(list_import, cleaned: Cleaned) -> str:
    """Store the cleaned list for the run; returns the digest to keep with the import."""
    import hashlib
    import pickle

    from django.core.files.base import ContentFile

    data = pickle.dumps(cleaned.merged, protocol=pickle.HIGHEST_PROTOCOL)
    name = _kept_name(list_import)
    storage = list_import.file.storage
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(data))
    return hashlib.sha256(data).hexdigest()


def kept(list_import) -> ListColumns | None:
    """The cleaned list the preview kept, when it is there and is what was kept."""
    import hashlib
    import pickle

    digest = (list_import.analysis or {}).get("kept")
    name = _kept_name(list_import)
    storage = list_import.file.storage
    if not digest or not storage.exists(name):
        return None
    with storage.open(name, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != digest:
        return None
    return pickle.loads(data)  # noqa: S301 - our own file, checked against its digest


def forget(list_import) -> None:
    name = _kept_name(list_import)
    storage = list_import.file.storage
    if list_import.file and storage.exists(name):
        storage.delete(name)


def _kept_name(list_import) -> str:
    return f"{list_import.file.name}.cleaned"


def _skipped(row: Skipped) -> list:
    return [row.row_number, row.kind, row.text]  # the kind is put in words when shown


def _refused(error: RowError) -> list:
    return [error.row_number, error.uscc, error.name, error.message]


def _day(value) -> str:
    return value.isoformat() if value else ""
