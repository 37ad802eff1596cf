"""An HTML table saved as .xls (web systems export lists so) as raw tables, one per <table>.

Read with the standard library's HTML parser: rows are <tr>, cells <td>/<th>; a cell's
colspan/rowspan fills every position it covers, like a merged range in a workbook. Tags
inside a cell are dropped (a <br> is a line break), entities are unescaped, runs of source
whitespace become one space. A table inside a cell adds its text to that cell.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.registries.readers import (
    MAX_MERGE_CELLS,
    RawSheet,
    damaged,
    max_rows,
    squared,
    too_many_rows,
)

_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\f]+")
#: The HTML standard's limits for spans.
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534


def decode(raw: bytes) -> str:
    """The document's text: by BOM, by its declared charset, as UTF-8, else as GB18030."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, "replace")
    match = _CHARSET.search(raw[:4096])
    if match:
        declared = match.group(1).decode("ascii").lower()
        if declared in {"gb2312", "gbk", "gb_2312-80", "x-gbk"}:
            declared = "gb18030"  # the superset: what those pages really hold
        try:
            return raw.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", "replace")


class _Table:
    def __init__(self) -> None:
        self.rows: list[list] = []
        self.taken: dict[int, dict[int, object]] = {}  # row → column → value spanned from above
        self.row: list | None = None
        self.cell: list[str] | None = None
        self.span = (1, 1)
        self.merged = 0


class TableParser(HTMLParser):
    """Collects every top-level <table> as rows of cell texts, spans filled."""

    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self.stack: list[_Table] = []  # open tables; only the outermost one takes cells
        self.limit = limit

    @property
    def current(self) -> _Table | None:
        return self.stack[0] if self.stack else None

    def handle_starttag(self, tag, attrs):
        table = self.current
        if tag == "table":
            if table is None:
                table = _Table()
                self.tables.append(table)
            self.stack.append(table)
            return
        if table is None:
            return
        nested = len(self.stack) > 1
        if tag == "br" and table.cell is not None:
            table.cell.append("\n")
        elif nested and tag in {"tr", "td", "th"} and table.cell is not None:
            table.cell.append(" ")
        elif tag == "tr" and not nested:
            self._end_row(table)
            table.row = []
        elif tag in {"td", "th"} and not nested:
            self._end_cell(table)
            if table.row is None:
                table.row = []
            values = dict(attrs)
            table.span = (
                _span(values.get("rowspan"), MAX_ROWSPAN),
                _span(values.get("colspan"), MAX_COLSPAN),
            )
            table.cell = []

    def handle_startendtag(self, tag, attrs):
        if tag in {"table", "tr"}:  # an empty table or row written as <table/>: nothing
            return
        self.handle_starttag(tag, attrs)
        table = self.current
        if tag in {"td", "th"} and table is not None and len(self.stack) == 1:
            self._end_cell(table)  # <td/>: an empty cell that still takes its column

    def handle_endtag(self, tag):
        table = self.current
        if table is None:
            return
        if tag == "table":
            self.stack.pop()
            if not self.stack:
                self._end_row(table)
            return
        if len(self.stack) > 1:
            return
        if tag in {"td", "th"}:
            self._end_cell(table)
        elif tag == "tr":
            self._end_row(table)

    def handle_data(self, data):
        table = self.current
        if table is not None and table.cell is not None:
            table.cell.append(_SPACE.sub(" ", data))

    def _end_cell(self, table: _Table) -> None:
        if table.cell is None:
            return
        text = "".join(table.cell)
        lines = [line.strip() for line in text.split("\n")]
        value = "\n".join(lines).strip() or None
        table.cell = None
        row_index = len(table.rows)
        row = table.row
        column = _next_free(table, row_index, len(row))
        rowspan, colspan = table.span
        if rowspan * colspan > MAX_MERGE_CELLS:
            rowspan, colspan = 1, 1  # absurd spans are read as one cell
        if rowspan * colspan > 1 and value is not None:
            table.merged += 1
        for offset in range(colspan):
            if len(row) <= column + offset:
                row.extend([None] * (column + offset + 1 - len(row)))
            row[column + offset] = value
            for down in range(1, rowspan):
                table.taken.setdefault(row_index + down, {})[column + offset] = value

    def _end_row(self, table: _Table) -> None:
        self._end_cell(table)
        if table.row is None:
            return
        row_index = len(table.rows)
        row = table.row
        # positions covered from above after this row's last cell
        for column, value in sorted(table.taken.pop(row_index, {}).items()):
            if len(row) <= column:
                row.extend([None] * (column + 1 - len(row)))
            row[column] = value
        table.rows.append(row)
        table.row = None
        if len(table.rows) > self.limit:
            raise too_many_rows(_("Table %(n)d") % {"n": len(self.tables)})


def _span(value, maximum: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), maximum)


def _next_free(table: _Table, row_index: int, column: int) -> int:
    """The first column at or after ``column`` not covered by a span from above; the covered
    positions passed over take their values."""
    row = table.row
    pending = table.taken.get(row_index, {})
    while column in pending:
        if len(row) <= column:
            row.extend([None] * (column + 1 - len(row)))
        row[column] = pending.pop(column)
        column += 1
    return column


def read_html(raw: bytes) -> list[RawSheet]:
    parser = TableParser(max_rows())
    try:
        parser.feed(decode(raw))
        parser.close()
    except ApplicationError:
        raise
    except Exception as exc:  # the parser is lenient; anything else means unreadable
        raise damaged("html") from exc
    if not parser.tables:
        raise ApplicationError(
            _(
                "The file is a web page without a table, so it holds no list. "
                "Upload the list itself as .xlsx, .xls, CSV or PDF."
            ),
            code="list_html_no_table",
        )
    sheets = []
    for number, table in enumerate(parser.tables, start=1):
        rows = table.rows
        # spans reaching below the last row leave rows of their own
        while table.taken and len(rows) <= max(table.taken):
            row: list = []
            for column, value in sorted(table.taken.pop(len(rows), {}).items()):
                row.extend([None] * (column + 1 - len(row)))
                row[column] = value
            rows.append(row)
        sheets.append(
            RawSheet(name=_("Table %(n)d") % {"n": number}, rows=squared(rows), merged=table.merged)
        )
    return sheets
