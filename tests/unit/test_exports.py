"""Exports stream, keep Chinese readable and neutralise formula cells."""

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from ecosystem.core.exports import (
    CSV_PIECE,
    FORMULA_PREFIXES,
    csv_response,
    safe_cell,
    safe_row,
    xlsx_response,
)


def test_formula_cells_are_neutralised_and_numbers_stay_numbers():
    for text in ("=1+1", "+CMD()", "-2+3", "@SUM(A1)", "\t=x"):
        assert safe_cell(text).startswith("'")
    assert safe_cell("科技") == "科技"
    assert safe_cell(Decimal("-5.00")) == Decimal("-5.00")
    assert safe_cell(date(2026, 1, 2)) == date(2026, 1, 2)


def test_csv_streams_in_pieces_with_a_bom():
    """The header first, before any row is read; then the rows in pieces of about
    ``CSV_PIECE`` characters, read as they are sent: the file is never built whole. The
    text is the one ``csv`` writes row by row."""
    produced = []

    def rows():
        for n in range(10_000):
            produced.append(n)
            yield [n, '=HYPERLINK("x")', "企业"]

    response = csv_response("t.csv", ["n", "text", "名称"], rows())
    assert response.streaming
    assert produced == []  # nothing built before the response is read
    chunks = iter(response.streaming_content)
    first = next(chunks).decode()
    assert first == "\ufeffn,text,名称\r\n"
    assert len(produced) == 0
    second = next(chunks).decode()
    assert second.startswith("0,\"'=HYPERLINK")
    assert 0 < len(produced) < 10_000  # one piece read, not the whole table
    assert CSV_PIECE <= len(second) < 2 * CSV_PIECE
    body = second + b"".join(chunks).decode()
    assert len(produced) == 10_000
    expected = io.StringIO()
    csv.writer(expected).writerows([n, '\'=HYPERLINK("x")', "企业"] for n in range(10_000))
    assert body == expected.getvalue()


def test_safe_row_is_safe_cell_of_each_value():
    """The fast path by exact type changes nothing: every kind of value an export holds,
    the subclasses of the passed types (``bool``, ``datetime``, a ``str``) included."""
    from datetime import UTC, datetime

    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    values = [
        None, True, False, 0, 7, -3, Decimal("-5.00"), Decimal("1.50"), 2.5,
        date(2026, 1, 2), datetime(2026, 1, 2, 3, 4, 5), datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "", "科技", "=1+1", "+CMD()", "-2", "@SUM(A1)", "\t=x", "\r=x", "a=b",
        mark_safe("=SUM(A1)"), gettext_lazy("yes"), 12345678901234567890,
    ]  # fmt: skip
    assert [repr(v) for v in safe_row(values)] == [repr(safe_cell(v)) for v in values]
    assert all(len(prefix) == 1 for prefix in FORMULA_PREFIXES)  # safe_row's first character
    for prefix in FORMULA_PREFIXES:
        assert safe_row([prefix, f"{prefix}x", f"x{prefix}"]) == [
            f"'{prefix}",
            f"'{prefix}x",
            f"x{prefix}",
        ]


def test_xlsx_neutralises_formulas_and_keeps_types():
    response = xlsx_response("t.xlsx", ["n", "text"], [[1, "=2+3"], [Decimal("2.50"), "ok"]])
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert [c.value for c in sheet[2]] == [1, "'=2+3"]
    assert sheet["A3"].value == 2.5
    assert sheet["B2"].data_type == "s"


def test_xlsx_drops_control_characters_before_the_formula_check():
    """A worksheet cannot hold them (openpyxl raises); dropped first, "\x01=" stays text."""
    response = xlsx_response("t.xlsx", ["n", "text"], [[1, "a\x0bb"], [2, "\x01=2+3"]])
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [sheet["B2"].value, sheet["B3"].value] == ["ab", "'=2+3"]
    assert sheet["B3"].data_type == "s"
