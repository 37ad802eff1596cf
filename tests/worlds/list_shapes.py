"""Official-list files in the shapes authorities publish, built in memory for the reader tests.

Workbooks with title rows, merged cells and several sheets (.xlsx with openpyxl, .xls with
xlwt), PDF attachments holding a ruled table over several pages (reportlab, Chinese text in
the STSong-Light CID font, which pdfplumber extracts back as Unicode), a scanned PDF (an
image, no text), an HTML table saved as .xls, a ZIP bomb dressed as .xlsx and a damaged
.xlsx. Merges are written in A1 notation ("A1:G1"), over the rows as given (1-based).
"""

from __future__ import annotations

import datetime
import io
import zipfile
import zlib

from openpyxl import Workbook
from openpyxl.utils.cell import range_boundaries

CJK_FONT = "STSong-Light"


#: A workbook as a district publishes it: a merged title row, a province merged down two
#: rows, a numeric credit code; a second sheet, and an empty one.
DISTRICT_TITLE = "2026年第一批高新技术企业名单"
# Excel keeps an 18-digit numeric credit code as a double: it comes back as that number
NUMERIC_CODE = 911101081234567890
DISTRICT_SHEETS = {
    "海淀区": [
        [DISTRICT_TITLE, None, None, None],
        ["序号", "省份", "企业名称", "统一社会信用代码"],
        [1, "北京市", "北京科金链科技有限公司", "91110108MA01ABCD2X"],
        [2, None, "北京“小巨人”精密制造有限公司", NUMERIC_CODE],
        [3, "河北省", "河北专精特新材料有限公司", 12345678],
    ],
    "朝阳区": [["序号", "企业名称"], [1, "朝阳数据有限公司"]],
    "空表": [],
}
DISTRICT_MERGES = {"海淀区": ["A1:D1", "B3:B4"]}


def _ranges(merges: list[str] | None) -> list[tuple[int, int, int, int]]:
    """Ranges in A1 notation ("B2:B4") as (top, left, bottom, right), 0-based, inclusive."""
    out = []
    for ref in merges or []:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        out.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
    return out


def xlsx_book(
    sheets: dict[str, list[list]],
    merges: dict[str, list[str]] | None = None,
    *,
    hidden: set[str] | frozenset[str] = frozenset(),
) -> bytes:
    """A workbook with one sheet per entry, in order; ``merges`` per sheet name; the sheets
    named in ``hidden`` hidden."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for ref in (merges or {}).get(name, []):
            sheet.merge_cells(ref)
        if name in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls_book(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    """An Excel 97-2003 workbook; dates get a date format, merges via write_merge."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for name, rows in sheets.items():
        sheet = workbook.add_sheet(name)
        covered = set()
        for top, left, bottom, right in _ranges((merges or {}).get(name)):
            value = rows[top][left] if top < len(rows) and left < len(rows[top]) else None
            sheet.write_merge(top, bottom, left, right, value)
            covered |= {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in covered:
                    continue
                if isinstance(value, datetime.date):
                    sheet.write(r, c, value, date_style)
                else:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


def pdf_table(
    rows: list[list[str]],
    *,
    rows_per_page: int = 40,
    title: str | None = None,
    repeat_header: bool = True,
    merges: list[str] | None = None,
) -> bytes:
    """A ruled table over pages: ``rows[0]`` is the header, then ``rows_per_page`` rows per
    page (the header repeated on each page if ``repeat_header``). ``merges`` ("B2:B4", over
    ``rows``) become spanning cells, cut at page ends as a PDF printer does."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    font = _cjk_font()
    header, body = rows[0], rows[1:]
    story: list = []
    if title:
        story.append(Paragraph(title, ParagraphStyle("title", fontName=font, fontSize=14)))
    spans = _ranges(merges)
    for start in range(0, max(len(body), 1), rows_per_page):
        chunk = body[start : start + rows_per_page]
        with_header = start == 0 or repeat_header
        page_rows = ([header] if with_header else []) + chunk
        offset = 1 + start - (1 if with_header else 0)  # rows index of page_rows[0]
        style = [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        cells = [list(row) for row in page_rows]
        for top, left, bottom, right in spans:
            first = max(top - offset, 1 if with_header else 0)
            last = min(bottom - offset, len(page_rows) - 1)
            if first >= last and left == right:
                continue
            if first > last:
                continue
            value = rows[top][left]
            for r in range(first, last + 1):
                for c in range(left, right + 1):
                    cells[r][c] = ""
            cells[first][left] = value
            style.append(("SPAN", (left, first), (right, last)))
        table = Table(cells, rowHeights=14)
        table.setStyle(TableStyle(style))
        story += [table, PageBreak()]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, topMargin=36, bottomMargin=36, leftMargin=36, rightMargin=36
    )
    doc.build(story[:-1])
    return buffer.getvalue()


def pdf_unruled(rows: list[list[str]], *, title: str | None = None) -> bytes:
    """One page whose table has no ruling lines: words aligned in columns only."""
    from reportlab.pdfgen import canvas

    font = _cjk_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    if title:
        pdf.setFont(font, 14)
        pdf.drawString(72, 760, title)
    pdf.setFont(font, 10)
    for index, row in enumerate(rows):
        for x, text in zip((72, 140, 220, 420), row, strict=False):
            pdf.drawString(x, 700 - 18 * index, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def password_pdf() -> bytes:
    """A PDF that opens only with a password."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt="secret")
    pdf.drawString(72, 700, "list")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A page holding only a picture of a table: no text at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("L", (400, 200), 255)
    draw = ImageDraw.Draw(picture)
    for y in range(0, 200, 40):
        draw.line((0, y, 400, y), fill=0)
        draw.rectangle((20, y + 10, 180, y + 25), fill=0)  # "words" as ink
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawImage(ImageReader(picture), 50, 500, width=400, height=200)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_pages(n: int) -> bytes:
    """``n`` nearly empty pages (a page number each), quickly."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=1)
    for number in range(1, n + 1):
        pdf.drawString(72, 72, f"p. {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def html_table_xls(
    rows: list[list],
    *,
    spans: dict[tuple[int, int], tuple[int, int]] | None = None,
    encoding: str = "utf-8",
) -> bytes:
    """An HTML table as web systems save it under an .xls name. ``spans`` maps a cell's
    (row, column) in ``rows`` to (rowspan, colspan); the cells it covers are left out."""
    from html import escape

    spans = spans or {}
    covered = set()
    for (r, c), (down, across) in spans.items():
        covered |= {(r + i, c + j) for i in range(down) for j in range(across)} - {(r, c)}
    lines = [
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel">',
        f'<head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">',
        "</head><body>",
        '<table border="1" cellspacing="0">',
    ]
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            down, across = spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{down}"' if down > 1 else "") + (
                f' colspan="{across}"' if across > 1 else ""
            )
            tag = "th" if r == 0 else "td"
            text = "" if value is None else escape(str(value))
            cells.append(f"<{tag}{attrs}>{text}</{tag}>")
        lines.append("  <tr>" + "".join(cells) + "</tr>")
    lines += ["</table>", "</body></html>"]
    return "\n".join(lines).encode(encoding)


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def zip_bomb_xlsx(megabytes: int = 1024) -> bytes:
    """A valid-looking .xlsx whose sheet part unpacks to ``megabytes`` MB of zeros (about
    1 kB packed per MB). The part's deflate stream repeats one fully flushed block, so
    building it costs a CRC pass, not compressing a gigabyte."""
    zeros = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)  # the same every MB
    end = packer.flush()
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size = megabytes << 20
        info.compress_size = len(block) * megabytes + len(end)
        info.CRC = crc
        info.header_offset = buffer.tell()
        buffer.write(info.FileHeader(zip64=info.file_size > zipfile.ZIP64_LIMIT))
        for _ in range(megabytes):
            buffer.write(block)
        buffer.write(end)
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
        archive.start_dir = buffer.tell()  # the central directory goes after this member
    return buffer.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    """A plain ZIP archive of ``members`` (name → bytes): a .docx, an .ods, a ZIP of lists."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def corrupt_xlsx() -> bytes:
    """A real .xlsx (a few thousand rows) with bytes in its middle overwritten: the ZIP
    directory at the end is intact, the compressed sheet is not."""
    rows = [["序号", "企业名称", "统一社会信用代码"]]
    rows += [[i, f"测试科技有限公司{i}", f"91110108MA0{i:07d}"] for i in range(1, 3000)]
    raw = bytearray(xlsx_book({"名单": rows}))
    middle = len(raw) // 2
    raw[middle : middle + 2048] = b"\xff" * 2048
    return bytes(raw)


def ole2_with_stream(stream: str) -> bytes:
    """An OLE2 compound file whose one stream is named ``stream`` ("WordDocument" for a .doc,
    "EncryptedPackage" for a password-protected .xlsx): an .xls with its stream renamed."""
    import struct

    raw = bytearray(xls_book({"Sheet1": [["x"]]}))
    old = "Workbook\x00".encode("utf-16-le")
    at = raw.index(old)  # the directory entry: a 64-byte name, then its length in bytes
    name = (stream + "\x00").encode("utf-16-le")
    raw[at : at + 64] = name.ljust(64, b"\x00")
    raw[at + 64 : at + 66] = struct.pack("<H", len(name))
    return bytes(raw)


def encrypted_xls() -> bytes:
    """An .xls whose workbook stream says it is encrypted (a FILEPASS record), as Excel
    writes a workbook saved with a password: its CODEPAGE record retyped in place."""
    raw = bytearray(xls_book({"名单": [["企业名称"], ["甲公司"]]}))
    codepage = b"\x42\x00\x02\x00\xb0\x04"  # CODEPAGE, 2 bytes: 1200 (UTF-16)
    at = raw.index(codepage)
    raw[at : at + 2] = b"\x2f\x00"  # FILEPASS
    return bytes(raw)
