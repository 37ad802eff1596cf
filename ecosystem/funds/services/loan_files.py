"""A loan-book file (CSV in UTF-8, UTF-8 with BOM or GB18030, or Excel .xlsx) read into
rows for ``loan_rows_upsert``; the list import's readers and refusals are reused."""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.core.uploads import DANGEROUS

#: Column headings a bank's file may use, in either language, for each field.
HEADINGS = {
    "reference": ("reference", "loan_reference", "贷款编号", "借据号", "贷款参考号"),
    "lead": ("lead", "lead_id", "线索", "线索编号"),
    "as_of": ("as_of", "status_date", "报告日期", "状态日期"),
    "outstanding_principal": ("outstanding_principal", "outstanding", "贷款余额", "本金余额"),
    "next_due_date": ("next_due_date", "下次还款日", "下一还款日"),
    "days_past_due": ("days_past_due", "逾期天数"),
    "classification": ("classification", "五级分类", "分类"),
    "event_kind": ("event_kind", "还款类型"),
    "event_amount": ("event_amount", "还款金额"),
    "event_date": ("event_date", "还款日期"),
    "event_reference": ("event_reference", "还款流水号"),
}
REQUIRED = ("reference", "as_of", "outstanding_principal", "classification")
_BY_HEADING = {heading.lower(): name for name, words in HEADINGS.items() for heading in words}


def read_loan_file(upload) -> list[tuple[int, dict]]:
    """(line number, fields) of every data row; a file unusable as a whole raises."""
    limit = settings.MAX_UPLOAD_BYTES
    name = getattr(upload, "name", "") or ""
    if upload.size is not None and upload.size > limit:
        raise ApplicationError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="upload_too_large",
        )
    upload.seek(0)
    raw = upload.read()
    if not raw:
        raise ApplicationError(_("%(name)s is empty.") % {"name": name}, code="upload_empty")
    what = next((label for magic, label in DANGEROUS.items() if raw.startswith(magic)), None)
    from ecosystem.registries.readers import read_book, sniff

    fmt = sniff(raw, name=name) if what is None or what == "ZIP archive" else None
    if what is not None and fmt is None:
        raise ApplicationError(
            _("%(name)s is not a loan book but a %(what)s. Upload CSV or Excel (.xlsx).")
            % {"name": name, "what": what},
            code="upload_bad_type",
        )
    if fmt is None:
        table = _csv_table(raw)
    elif fmt in ("xlsx", "xls"):
        book = read_book(raw, name=name, fmt=fmt)
        table = book.sheets[0].rows if book.sheets else []
    else:
        raise ApplicationError(
            _("Upload the loan book as CSV or Excel (.xlsx)."), code="upload_bad_type"
        )
    return _rows(table)


def _csv_table(raw: bytes) -> list[list]:
    import csv
    import io

    from ecosystem.registries.parsing import detect_csv_encoding

    codec, _label = detect_csv_encoding(raw)
    return list(csv.reader(io.StringIO(raw.decode(codec), newline="")))


def _rows(table: list[list]) -> list[tuple[int, dict]]:
    if not table:
        raise ApplicationError(_("The file holds no rows."), code="no_rows")
    header = [_BY_HEADING.get(str(cell or "").strip().lower()) for cell in table[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ApplicationError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(HEADINGS[name][0] for name in missing)},
            code="missing_columns",
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        rows.append(
            (
                number,
                {
                    name: cells[index]
                    for index, name in enumerate(header)
                    if name and index < len(cells)
                },
            )
        )
    return rows
