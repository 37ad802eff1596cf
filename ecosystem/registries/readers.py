"""Temporary reader (xlsx only); replaced by the full readers module."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError


@dataclass
class RawSheet:
    name: str
    rows: list[list]
    merged: int = 0


@dataclass
class RawBook:
    file_format: str
    label: str
    sheets: list[RawSheet]


def sniff(raw: bytes, *, name: str = "") -> str | None:
    if raw.startswith(b"PK\x03\x04"):
        return "xlsx"
    return None


def read_book(raw: bytes, *, name: str = "", fmt: str) -> RawBook:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:
        raise ApplicationError(
            _("The Excel file could not be read; it may be damaged or not really .xlsx."),
            code="bad_xlsx",
        ) from exc
    try:
        sheets = [
            RawSheet(ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
            for ws in workbook.worksheets
        ]
    finally:
        workbook.close()
    return RawBook("xlsx", "Excel (.xlsx)", sheets)
