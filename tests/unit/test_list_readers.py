"""The raw list readers (ecosystem/registries/readers.py): every format read cell for cell,
merged ranges filled, each unreadable file refused with a message that names it (in English)."""

import datetime

import pytest
from django.utils import translation

from ecosystem.core.errors import ApplicationError
from ecosystem.registries.readers import RawBook, RawSheet, read_book, sniff
from tests.worlds import list_shapes


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


TITLE, NUMERIC_CODE = list_shapes.DISTRICT_TITLE, list_shapes.NUMERIC_CODE
DISTRICTS, MERGES = list_shapes.DISTRICT_SHEETS, list_shapes.DISTRICT_MERGES
EXPECTED_HAIDIAN = [
    [TITLE, TITLE, TITLE, TITLE],
    ["序号", "省份", "企业名称", "统一社会信用代码"],
    [1, "北京市", "北京科金链科技有限公司", "91110108MA01ABCD2X"],
    [2, "北京市", "北京“小巨人”精密制造有限公司", float(NUMERIC_CODE)],
    [3, "河北省", "河北专精特新材料有限公司", 12345678],
]
EXPECTED_SHEETS = [
    RawSheet(name="海淀区", rows=EXPECTED_HAIDIAN, merged=2),
    RawSheet(name="朝阳区", rows=[["序号", "企业名称"], [1, "朝阳数据有限公司"]], merged=0),
    RawSheet(name="空表", rows=[], merged=0),
]


def refused(raw, fmt=None, *, code):
    with pytest.raises(ApplicationError) as caught:
        read_book(raw, fmt=fmt) if fmt else sniff(raw, name="upload")
    assert caught.value.code == code
    return str(caught.value.message)


# --- xlsx -------------------------------------------------------------------------------


def test_xlsx_reads_every_sheet_in_order_with_merges_filled_and_numbers_kept():
    raw = list_shapes.xlsx_book(DISTRICTS, MERGES)
    assert sniff(raw, name="名单.xlsx") == "xlsx"
    book = read_book(raw, fmt="xlsx")
    assert book == RawBook(file_format="xlsx", label="Excel (.xlsx)", sheets=EXPECTED_SHEETS)
    code = book.sheets[0].rows[3][3]
    assert type(code) is float and code == float(NUMERIC_CODE)
    assert type(book.sheets[0].rows[4][3]) is int


def test_xlsx_reads_hidden_sheets_dates_and_pads_ragged_rows():
    rows = [["企业名称", "认定日期"], ["甲公司", datetime.date(2025, 12, 6)], ["乙公司"], [None]]
    sheets = {"名单": rows, "隐藏": [[], [None, None, "只在C2"]]}
    raw = list_shapes.xlsx_book(sheets, hidden={"隐藏"})
    book = read_book(raw, fmt="xlsx")  # the trailing empty row goes
    assert book.sheets == [
        RawSheet(
            name="名单",
            rows=[
                ["企业名称", "认定日期"],
                ["甲公司", datetime.datetime(2025, 12, 6)],
                ["乙公司", None],
            ],
        ),
        RawSheet(name="隐藏", rows=[[None, None, None], [None, None, "只在C2"]]),
    ]


def test_xlsx_vertical_merge_below_the_data_extends_the_rows():
    raw = list_shapes.xlsx_book({"名单": [["省份", "企业"], ["北京市", "甲"]]}, {"名单": ["A2:A3"]})
    assert read_book(raw, fmt="xlsx").sheets[0].rows == [
        ["省份", "企业"],
        ["北京市", "甲"],
        ["北京市", None],
    ]


# --- xls --------------------------------------------------------------------------------


def test_xls_reads_every_sheet_with_merges_numbers_and_dates():
    sheets = dict(DISTRICTS)
    sheets["朝阳区"] = [
        ["序号", "企业名称", "认定日期", "评分"],
        [1, "朝阳数据有限公司", datetime.date(2024, 11, 30), 87.5],
    ]
    raw = list_shapes.xls_book(sheets, MERGES)
    assert sniff(raw, name="名单.xls") == "xls"
    book = read_book(raw, fmt="xls")
    assert book.file_format == "xls"
    assert book.label == "Excel 97–2003 (.xls)"
    assert book.sheets == [
        RawSheet(name="海淀区", rows=EXPECTED_HAIDIAN, merged=2),
        RawSheet(
            name="朝阳区",
            rows=[
                ["序号", "企业名称", "认定日期", "评分"],
                [1, "朝阳数据有限公司", datetime.datetime(2024, 11, 30), 87.5],
            ],
        ),
        RawSheet(name="空表", rows=[]),
    ]
    assert type(book.sheets[0].rows[3][3]) is float  # over 1e15: a code Excel lost, kept
    assert type(book.sheets[0].rows[4][3]) is int


def test_xls_that_is_not_a_workbook_is_refused_as_damaged():
    raw = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000
    message = refused(raw, "xls", code="list_file_damaged")
    assert "could not be read" in message and ".xls" in message
    assert "damaged" in refused(raw, code="list_file_damaged")  # sniff: a broken directory


def test_truncated_or_overwritten_xls_is_refused_as_damaged():
    raw = list_shapes.xls_book({"名单": [["企业名称"]] + [[f"公司{i}"] for i in range(2000)]})
    overwritten = bytearray(raw)
    overwritten[len(raw) // 2 : len(raw) // 2 + 4000] = b"\xff" * 4000
    for broken in (raw[: len(raw) // 2], raw[:-600], bytes(overwritten)):
        with pytest.raises(ApplicationError) as caught:
            read_book(broken, fmt=sniff(broken) or "xls")
        assert caught.value.code == "list_file_damaged"
        assert "it may be damaged" in str(caught.value.message)


def test_password_protected_xls_is_refused():
    raw = list_shapes.encrypted_xls()
    assert sniff(raw) == "xls"  # the workbook stream is there; reading it finds the password
    assert refused(raw, "xls", code="list_file_encrypted") == (
        "The file is password-protected; remove the password and upload again."
    )


# --- pdf --------------------------------------------------------------------------------

PDF_HEADER = ["序号", "省份", "企业名称"]
PDF_ROWS = [PDF_HEADER] + [
    [str(i), "北京市" if i <= 5 else "河北省", f"专精特新“小巨人”企业{i}号有限公司"]
    for i in range(1, 11)
]


def test_pdf_table_over_three_pages_is_one_sheet_with_title_spans_and_repeated_headers():
    title = "第五批专精特新“小巨人”企业名单"
    raw = list_shapes.pdf_table(PDF_ROWS, rows_per_page=4, title=title, merges=["B2:B6", "B7:B11"])
    assert sniff(raw, name="名单.pdf") == "pdf"
    book = read_book(raw, fmt="pdf")
    assert (book.file_format, book.label) == ("pdf", "PDF")
    data = PDF_ROWS[1:]
    assert book.sheets == [
        RawSheet(
            name="pages 1–3",
            rows=[
                [title, None, None],
                PDF_HEADER,
                *data[0:4],
                PDF_HEADER,
                *data[4:8],
                PDF_HEADER,
                *data[8:10],
            ],
            merged=3,  # Beijing on p.1; Hebei on p.2 and p.3 (Beijing on p.2 is one cell)
        )
    ]


def test_pdf_without_repeated_headers_and_with_empty_cells():
    rows = [PDF_HEADER, ["1", "", "甲公司"], ["2", "天津市", ""], ["3", "天津市", "丙公司"]]
    raw = list_shapes.pdf_table(rows, rows_per_page=2, repeat_header=False)
    assert read_book(raw, fmt="pdf").sheets[0].rows == [
        PDF_HEADER,
        ["1", None, "甲公司"],
        ["2", "天津市", None],
        ["3", "天津市", "丙公司"],
    ]


def test_pdf_table_without_ruling_lines_is_read_by_text_alignment():
    rows = [PDF_HEADER] + [[str(i), "天津市", f"天津第{i}精密制造有限公司"] for i in range(1, 6)]
    raw = list_shapes.pdf_unruled(rows, title="第五批名单")
    assert read_book(raw, fmt="pdf").sheets == [
        RawSheet(name="page 1", rows=[["第五批名单", None, None], *rows])
    ]


def test_scanned_pdf_is_refused():
    message = refused(list_shapes.scanned_pdf(), "pdf", code="list_pdf_scanned")
    assert "scanned images" in message and "Excel file" in message


def test_pdf_with_too_many_pages_is_refused_before_reading(settings):
    assert "300 can be read" in refused(
        list_shapes.pdf_pages(301), "pdf", code="list_pdf_too_many_pages"
    )
    settings.LIST_PDF_MAX_PAGES = 5
    message = refused(list_shapes.pdf_pages(6), "pdf", code="list_pdf_too_many_pages")
    assert message == (
        "The PDF has 6 pages; at most 5 can be read. "
        "Split it or ask the authority for the Excel file."
    )


def test_password_protected_pdf_is_refused():
    message = refused(list_shapes.password_pdf(), "pdf", code="list_file_encrypted")
    assert "password-protected" in message


def test_damaged_pdf_is_refused():
    raw = list_shapes.pdf_table(PDF_ROWS)
    assert refused(b"%PDF-1.4\n" + b"\x00garbage" * 50, "pdf", code="list_file_damaged") == (
        "The PDF could not be read; it may be damaged."
    )
    refused(raw[: len(raw) // 3], "pdf", code="list_file_damaged")


# --- html -------------------------------------------------------------------------------


def test_html_table_saved_as_xls_is_read_with_spans_and_entities():
    rows = [
        ["序号", "省份", "企业名称", "备注"],
        ["1", "北京市", "北京科金链科技有限公司 & 合伙", "新认定"],
        ["2", None, "北京“小巨人”有限公司", None],
        ["3", "河北省", "河北专精特新有限公司", None],
    ]
    raw = list_shapes.html_table_xls(rows, spans={(1, 1): (2, 1), (2, 3): (1, 1)}, encoding="gbk")
    assert sniff(raw, name="名单.xls") == "html"
    book = read_book(raw, fmt="html")
    assert (book.file_format, book.label) == ("html", "HTML table saved as .xls")
    assert book.sheets == [
        RawSheet(
            name="Table 1",
            rows=[
                ["序号", "省份", "企业名称", "备注"],
                ["1", "北京市", "北京科金链科技有限公司 & 合伙", "新认定"],
                ["2", "北京市", "北京“小巨人”有限公司", None],
                ["3", "河北省", "河北专精特新有限公司", None],
            ],
            merged=1,
        )
    ]


def test_html_colspan_title_tags_breaks_and_two_tables():
    raw = (
        "\ufeff  <table><tr><td colspan=3><b>名单</b></td></tr>"
        "<tr><td>序号</td><td>企业<br>名称</td><td>地区</td></tr>"
        "<tr><td> 1 </td><td>甲&nbsp;公司</td><td rowspan=2>海淀</td></tr>"
        "<tr><td>2</td><td>乙公司</td></tr><tr><td/><td>丙公司</td></tr></table>"
        "<TABLE><TR><TH>合计</TH><TD>2</TD></TR></TABLE>"
    ).encode()
    assert sniff(raw) == "html"
    assert read_book(raw, fmt="html").sheets == [
        RawSheet(
            name="Table 1",
            rows=[
                ["名单", "名单", "名单"],
                ["序号", "企业\n名称", "地区"],
                ["1", "甲\xa0公司", "海淀"],
                ["2", "乙公司", "海淀"],
                [None, "丙公司", None],
            ],
            merged=2,
        ),
        RawSheet(name="Table 2", rows=[["合计", "2"]]),
    ]


def test_web_page_without_a_table_is_refused():
    raw = b"<!DOCTYPE html><html><body><p>\xe5\x90\x8d\xe5\x8d\x95</p></body></html>"
    assert sniff(raw) == "html"
    assert "web page without a table" in refused(raw, "html", code="list_html_no_table")


# --- refusals ---------------------------------------------------------------------------


def test_zip_bomb_is_refused_before_unpacking():
    raw = list_shapes.zip_bomb_xlsx()
    assert sniff(raw) == "xlsx"
    assert refused(raw, "xlsx", code="list_zip_bomb") == (
        "The workbook would unpack to 1024 MB, which is not a real list; refused."
    )


def test_one_member_compressed_too_much_is_refused_and_the_limit_follows_settings(settings):
    message = refused(list_shapes.zip_bomb_xlsx(megabytes=20), "xlsx", code="list_zip_bomb")
    assert "would unpack to 20 MB" in message
    settings.LIST_UNZIPPED_MAX_BYTES = 1000
    raw = list_shapes.xlsx_book({"名单": [["企业名称"], ["甲公司"]]})
    assert "would unpack to 0 MB" in refused(raw, "xlsx", code="list_zip_bomb")


def test_corrupt_xlsx_is_refused_as_damaged():
    raw = list_shapes.corrupt_xlsx()
    assert sniff(raw) == "xlsx"
    message = refused(raw, "xlsx", code="list_file_damaged")
    assert "could not be read; it may be damaged or not really .xlsx" in message


def test_too_many_rows_are_refused_in_every_format(settings):
    settings.LIST_MAX_ROWS = 3
    rows = [["企业名称"], ["甲"], ["乙"], ["丙"]]
    for fmt, raw in (
        ("xlsx", list_shapes.xlsx_book({"名单": rows})),
        ("xls", list_shapes.xls_book({"名单": rows})),
        ("html", list_shapes.html_table_xls(rows)),
        ("pdf", list_shapes.pdf_table([[r[0], "x"] for r in rows])),
    ):
        assert "more than 3 rows" in refused(raw, fmt, code="list_too_many_rows"), fmt
    assert (
        read_book(list_shapes.xlsx_book({"名单": rows[:3]}), fmt="xlsx").sheets[0].rows
        == (rows[:3])
    )


# --- sniff ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        b"\xef\xbb\xbf\r\n  <!DOCTYPE HTML PUBLIC><html>",
        b"<TABLE border=1><tr><td>1</td></tr></TABLE>",
        b'<?xml version="1.0"?>\n<html xmlns="x"><body><table>',
        b'<?xml version="1.0"?>\n<root><table>',
        "<table>企业</table>".encode("utf-16"),
    ],
)
def test_sniff_html(raw):
    assert sniff(raw) == "html"


@pytest.mark.parametrize(
    "raw",
    [
        "序号,企业名称\n1,甲公司\n".encode(),
        "序号,企业名称\n1,甲公司\n".encode("gb18030"),
        b"\xef\xbb\xbfname,uscc\n",
        b"",
        b'<?xml version="1.0"?><list><item/></list>',
    ],
)
def test_sniff_text_is_left_to_the_csv_reader(raw):
    assert sniff(raw) is None


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        (
            list_shapes.zip_of({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<T/>"}),
            "list_file_type",
            "Word document (.docx)",
        ),
        (
            list_shapes.zip_of({"名单.xlsx": b"PK"}),
            "list_file_type",
            "is a ZIP archive, not an Excel workbook",
        ),
        (list_shapes.zip_of({"xl/workbook.bin": b""}), "list_file_type", "(.xlsb)"),
        (
            list_shapes.zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
            "list_file_type",
            "OpenDocument spreadsheet",
        ),
        (b"PK\x03\x04 this is not really a zip", "list_file_damaged", "damaged"),
        (list_shapes.ole2_with_stream("WordDocument"), "list_file_type", "Word document (.doc)"),
        (list_shapes.ole2_with_stream("PowerPoint Document"), "list_file_type", "not Excel"),
        (
            list_shapes.ole2_with_stream("EncryptedPackage"),
            "list_file_encrypted",
            "password-protected; remove the password and upload again",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "list_file_type", "PNG image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "list_file_type", "JPEG image"),
        (b"GIF89a" + b"\x00" * 20, "list_file_type", "GIF image"),
        (
            b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:'
            b'schemas-microsoft-com:office:spreadsheet"><Table>',
            "list_file_type",
            "Excel 2003 XML spreadsheet",
        ),
    ],
)
def test_sniff_refuses_what_is_not_a_list_and_says_what_it_is(raw, code, words):
    message = refused(raw, code=code)
    assert words in message


def test_sniff_signatures_of_readable_formats():
    assert sniff(list_shapes.xlsx_book({"a": [[1]]})) == "xlsx"
    assert sniff(list_shapes.xls_book({"a": [[1]]})) == "xls"
    assert sniff(list_shapes.pdf_pages(1)) == "pdf"
    assert sniff(b"%PDF-1.7 whatever") == "pdf"
