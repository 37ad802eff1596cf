"""Exports stream, keep Chinese readable and neutralise formula cells."""

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from ecosystem.core.exports import csv_response, safe_cell, xlsx_response


def test_formula_cells_are_neutralised_and_numbers_stay_numbers():
    for text in ("=1+1", "+CMD()", "-2+3", "@SUM(A1)", "\t=x"):
        assert safe_cell(text).startswith("'")
    assert safe_cell("科技") == "科技"
    assert safe_cell(Decimal("-5.00")) == Decimal("-5.00")
    assert safe_cell(date(2026, 1, 2)) == date(2026, 1, 2)


def test_csv_streams_row_by_row_with_a_bom():
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
    assert first.startswith("\ufeffn,text,名称")
    assert len(produced) == 0
    second = next(chunks).decode()
    assert second.startswith("0,\"'=HYPERLINK")
    body = b"".join(chunks).decode()
    assert body.count("\n") == 9_999
    assert len(produced) == 10_000


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
