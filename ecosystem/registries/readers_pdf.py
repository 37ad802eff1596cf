"""A PDF attachment as one raw table: every page's table rows, in order, with pdfplumber.

National lists (MIIT's 专精特新 "little giants", for one) are PDFs whose pages each hold a
part of one ruled table. Each page's tables are found with the ruling lines; a page without
any gets a second try by text alignment. All rows go into one sheet, as the table continues
across pages (a header repeated on later pages stays a row: the structure detection skips
it). A cell that spans rows or columns (a province merged down the rows) fills every row and
column it covers, like a merged range in a workbook. Text lines above the table on the
first page (the list's title) come first, one cell each. Rows with no text in any cell
(the text strategy finds them between lines) are left out.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.registries.readers import RawSheet, damaged, encrypted, max_rows, squared

#: How many first pages must hold no text at all for the PDF to count as scanned images.
SCANNED_PROBE_PAGES = 3
TEXT_STRATEGY = {"vertical_strategy": "text", "horizontal_strategy": "text"}


def max_pages() -> int:
    return int(getattr(settings, "LIST_PDF_MAX_PAGES", 300))


def read_pdf(raw: bytes) -> list[RawSheet]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
    except Exception as exc:  # pdfplumber wraps pdfminer's errors; all mean unreadable
        if _is_password_error(exc):
            raise encrypted() from exc
        raise damaged("pdf") from exc
    try:
        with pdf:
            return [_read(pdf)]
    except ApplicationError:
        raise
    except Exception as exc:
        if _is_password_error(exc):
            raise encrypted() from exc
        raise damaged("pdf") from exc


def _is_password_error(exc: BaseException) -> bool:
    causes = [exc, *getattr(exc, "args", ())]
    return any(
        isinstance(cause, BaseException) and "password" in type(cause).__name__.lower()
        for cause in causes
    )


def page_count(pdf) -> int:
    """The page count from the document catalog (no page parsed), else by listing pages."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
    except Exception:  # a catalog without /Count: count the pages themselves
        count = None
    return count if isinstance(count, int) and count >= 0 else len(pdf.pages)


def too_many_pages(count: int) -> ApplicationError:
    return ApplicationError(
        _(
            "The PDF has %(n)d pages; at most %(max)d can be read. "
            "Split it or ask the authority for the Excel file."
        )
        % {"n": count, "max": max_pages()},
        code="list_pdf_too_many_pages",
        extra={"pages": count, "max": max_pages()},
    )


def _read(pdf) -> RawSheet:
    count = page_count(pdf)
    if count > max_pages():
        raise too_many_pages(count)
    pages = pdf.pages
    if len(pages) > max_pages():  # the catalog's count can lie; the page tree cannot
        raise too_many_pages(len(pages))
    if not pages:
        raise damaged("pdf")
    if not any(page.chars for page in pages[:SCANNED_PROBE_PAGES]):
        raise ApplicationError(
            _(
                "This PDF holds scanned images, not text; the list cannot be read from it. "
                "Ask for the Excel file or a text PDF."
            ),
            code="list_pdf_scanned",
        )
    rows: list[list] = []
    merged = 0
    limit = max_rows()
    for number, page in enumerate(pages, start=1):
        tables = page.find_tables()
        if not tables and page.chars:
            tables = _text_tables(page)
        if number == 1 and tables:
            rows.extend([line] for line in _lines_above(page, tables[0].bbox[1]))
        for table in tables:
            table_rows, spans = table_cells(table)
            rows.extend(row for row in table_rows if any(cell is not None for cell in row))
            merged += spans
        if len(rows) > limit:
            raise ApplicationError(
                _("The PDF has more than %(max)d rows, which is not a real list; refused.")
                % {"max": limit},
                code="list_too_many_rows",
                extra={"max": limit},
            )
        page.close()  # drop the page's parsed objects; a long list has hundreds of pages
    if len(pages) == 1:
        name = _("page %(n)d") % {"n": 1}
    else:
        name = _("pages %(first)d–%(last)d") % {"first": 1, "last": len(pages)}
    return RawSheet(name=name, rows=squared(rows), merged=merged)


def _text_tables(page) -> list:
    """Tables found by text alignment, below the lines of one word that open the page: a
    wide title aligned with the first column would otherwise hide the columns it spans."""
    from pdfplumber.utils import cluster_objects

    words = page.extract_words()
    lines = sorted(cluster_objects(words, "top", 3), key=lambda line: line[0]["top"])
    top = 0.0
    for line in lines[:-1]:
        if len(line) != 1:
            break
        top = max(word["bottom"] for word in line) + 0.5
    region = page.crop((0, top, page.width, page.height)) if top else page
    return region.find_tables(TEXT_STRATEGY)


def _lines_above(page, top: float) -> list[str]:
    """The text lines above ``top`` (characters whose middle is above it)."""
    if top <= 1:
        return []
    above = page.filter(
        lambda obj: obj.get("object_type") != "char" or (obj["top"] + obj["bottom"]) / 2 < top
    )
    text = above.crop((0, 0, page.width, top)).extract_text() or ""
    return [line.strip() for line in text.splitlines() if line.strip()]


def table_cells(table) -> tuple[list[list], int]:
    """The table's cell texts ("" as None) with spanning cells filled; and how many spans.

    pdfplumber leaves None where a cell spanning rows or columns covers a grid position;
    that position takes the text of the cell covering it.
    """
    texts = table.extract()
    rows = table.rows
    xs = sorted({bbox[0] for bbox in table.cells})
    text_of = {}
    for row, cells in zip(texts, rows, strict=True):
        for text, bbox in zip(row, cells.cells, strict=True):
            if bbox is not None:
                text_of[bbox] = text or None
    spans = set()
    out = []
    for row, cells in zip(texts, rows, strict=True):
        top = cells.bbox[1]
        values = []
        for column, (text, bbox) in enumerate(zip(row, cells.cells, strict=True)):
            if bbox is not None:
                values.append(text or None)
                continue
            cover = _covering(table.cells, xs[column], top)
            if cover is not None:
                spans.add(cover)
            values.append(text_of.get(cover))
        out.append(values)
    return out, len(spans)


def _covering(cells, x: float, y: float):
    for bbox in cells:
        if bbox[0] <= x < bbox[2] and bbox[1] <= y < bbox[3]:
            return bbox
    return None
