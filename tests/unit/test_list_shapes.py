"""Official lists in the shapes authorities publish them: title rows, sub-headings, totals
and footnotes around the table, two-row headers, header variants, damaged codes, several
sheets, old .xls, PDF tables. Each file is built here; each test names the exact rows
loaded, skipped and refused and what happened to claims."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ecosystem.core.models import Notification
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries import services
from ecosystem.registries.models import ImportRowError, RegistryEntry
from tests.factories import RegistryOfficerFactory, ZoneFactory, make_uscc
from tests.worlds.list_claims import confirmer, program_with_term, submitted_claim, uploader
from tests.worlds.list_shapes import (
    pdf_table,
    xls_book,
    xlsx_book,
)

pytestmark = pytest.mark.django_db
BATCH = "2026年第一批"
A, B, C, D, E, F = (make_uscc(81_000 + i) for i in range(6))


@pytest.fixture
def program():
    return program_with_term("hte")


@pytest.fixture
def officer(program):
    return RegistryOfficerFactory(program=program)


@pytest.fixture
def upload(officer, program):
    return uploader(officer, program, BATCH)


@pytest.fixture
def confirm(officer, django_capture_on_commit_callbacks):
    return confirmer(officer, django_capture_on_commit_callbacks)


def loaded():
    return sorted(RegistryEntry.objects.values_list("uscc", "name", "region"))


def rows_of(job, kind):
    return list(
        ImportRowError.objects.filter(list_import=job, kind=kind)
        .order_by("id")
        .values_list("sheet", "row_number", "code")
    )


# --- a CSV as a district office publishes it (GB18030) ----------------------------------


def full_width(code: str) -> str:
    """The code typed with a Chinese input method: full-width letters and digits, an
    ideographic space (U+3000) and a no-break space inside."""
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code)
    return wide[:4] + "\u3000" + wide[4:10] + "\xa0" + wide[10:]


def district_list() -> list[str]:
    """C's certificate was issued three years and ten days ago: its listing has ended."""
    ended = timezone.localdate() - timedelta(days=10)
    issued = ended.replace(year=ended.year - 3)
    return [
        "附件1",
        "2026年第一批高新技术企业名单,,,,",
        "序号,统一社会信用代码（18位）,企业（单位）名称,证书编号,发证日期",
        "北京市（3家）,,,,",
        "一、海淀区,,,,",
        f"1,{A.lower()[:6]} {A.lower()[6:]},北京甲科技有限公司,GR202611000001,2026-12-01",
        f"2,{full_width(B)},乙（北京）科技有限公司 ,GR202611000002,2026年12月1日",
        ",,,,",
        "二、朝阳区,,,,",
        "3,9.13205E+17,丙数据有限公司,GR202611000003,2026-12-01",
        "4,110108000000016,丁老字号有限公司,GR202611000004,2026-12-01",
        "5,12345678-9,戊研究院,GR202611000005,2026-12-01",
        f"6,{C},己智能科技有限公司,GR202611000006,{issued:%Y.%m.%d}",
        "合计,,共6家,,",
        "注：排名不分先后。,,,,",
    ]


def test_a_gb18030_district_list_loads_data_rows_and_skips_the_rest(upload, confirm, program):
    # the firms as the list names them, with the certificates it lists
    member, claim = submitted_claim(
        A, program, name="北京甲科技有限公司", certificate_number="GR202611000001"
    )
    _member_c, claim_c = submitted_claim(
        C, program, name="己智能科技有限公司", certificate_number="GR202611000006"
    )
    lines = district_list()
    job = upload(("\r\n".join(lines) + "\r\n").encode("gb18030"), "名单.csv")
    dry = job.analysis
    (sheet,) = dry["sheets"]
    assert sheet["header_row"] == 3
    assert set(sheet["mapping"]) == {"seq", "uscc", "name", "certificate_number", "issued_on"}
    assert (dry["to_load"], dry["skipped"], dry["refused"]) == (3, 8, 3)
    assert dry["term_years"] == 3
    # Claims before confirming: A waits and its row is valid; C's listing has ended.
    assert dry["claims"]["verified"] == 1

    job = confirm(job)
    assert loaded() == [
        (A, "北京甲科技有限公司", "海淀区"),
        (B, "乙（北京）科技有限公司", "海淀区"),
        (C, "己智能科技有限公司", "朝阳区"),
    ]
    assert rows_of(job, "refused") == [
        ("CSV", 10, "uscc_excel_number"),
        ("CSV", 11, "uscc_old_registration"),
        ("CSV", 12, "uscc_org_code"),
    ]
    assert rows_of(job, "skipped") == [
        ("CSV", 1, "title"),
        ("CSV", 2, "title"),
        ("CSV", 4, "heading"),
        ("CSV", 5, "heading"),
        ("CSV", 8, "blank"),
        ("CSV", 9, "heading"),
        ("CSV", 14, "total"),
        ("CSV", 15, "note"),
    ]
    excel = ImportRowError.objects.get(list_import=job, row_number=10)
    assert excel.uscc == "9.13205E+17" and "9.13205E+17" in excel.message
    # Validity: the date of issue plus the program's three years, less a day.
    a = RegistryEntry.objects.get(uscc=A)
    assert (a.issued_on, a.valid_until) == (date(2026, 12, 1), date(2029, 11, 30))
    assert RegistryEntry.objects.get(uscc=B).issued_on == date(2026, 12, 1)  # 2026年12月1日
    assert RegistryEntry.objects.get(uscc=C).valid_until == timezone.localdate() - timedelta(
        days=11
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    claim_c.refresh_from_db()
    assert claim_c.status == ClaimStatus.SUBMITTED  # an expired row verifies nothing
    assert (job.skipped_rows, job.error_rows, job.inserted) == (8, 3, 3)


# --- UTF-8 with BOM, validity as a range, header variants ------------------------------


def test_validity_ranges_and_an_expired_row_that_expires_the_claim_it_verified(
    upload, confirm, program, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    past = today - timedelta(days=1)
    start = past.replace(year=past.year - 3) + timedelta(days=1)
    header = "社会信用代码,单位名称,有效期,所属区"
    first = [header, f"{A},甲公司,{start:%Y.%m.%d}-{today.year + 1}.12.31,浦东新区"]
    confirm(upload(("\n".join(first) + "\n").encode("utf-8-sig"), "a.csv"))
    with django_capture_on_commit_callbacks(execute=True):
        member, claim = submitted_claim(A, program, name="甲公司")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED

    # The authority republishes the batch with A's certificate ended yesterday.
    second = [header, f"{A},甲公司,{start:%Y.%m.%d}-{past:%Y.%m.%d},浦东新区"]
    job = upload(("\n".join(second) + "\n").encode("utf-8-sig"), "b.csv")
    assert job.analysis["claims"]["expired"] == 1 and job.analysis["expired_entries"] == 1
    job = confirm(job)
    assert loaded() == [(A, "甲公司", "浦东新区")]
    assert rows_of(job, "skipped") == rows_of(job, "refused") == []
    entry = RegistryEntry.objects.get(uscc=A)
    assert (entry.issued_on, entry.valid_until) == (start, past)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.EXPIRED
    assert past.isoformat() in claim.reason_text
    assert job.claims_expired == 1
    assert Notification.objects.filter(recipient=member, kind="claim_status").exists()


# --- an XLSX with a merged title, a two-row merged header and merged sub-headings ------


def test_an_xlsx_with_merged_cells_and_a_two_row_header(upload, confirm, program):
    _member, claim = submitted_claim(E, program, name="南京戊材料股份有限公司")
    rows = [
        ["第五批专精特新“小巨人”企业名单", None, None, None],
        ["序号", "企业信息", None, "所属地区"],
        [None, "统一社会信用代码", "企业名称", None],
        ["江苏省（3家）", None, None, None],
        [1, D, "苏州丁\n精密有限公司", None],
        [2, E, "南京戊材料股份有限公司", None],
        [3, "91320500MA1XXXXXXX", "无锡己科技有限公司", None],
        ["共3家", None, None, None],
    ]
    merges = {"名单": ["A1:D1", "A2:A3", "B2:C2", "D2:D3", "A4:D4", "A8:D8"]}
    job = upload(xlsx_book({"名单": rows}, merges), "名单.xlsx")
    assert job.analysis["sheets"][0]["header_row"] == 3  # the two-row header ends on row 3
    assert job.analysis["claims"] == {"verified": 1, "expired": 0, "revoked": 0, "name_matches": 0}
    job = confirm(job)
    # The region column is empty on these rows: the sub-heading above them gives it.
    assert loaded() == [
        (D, "苏州丁精密有限公司", "江苏省"),
        (E, "南京戊材料股份有限公司", "江苏省"),
    ]
    assert [r[2] for r in rows_of(job, "skipped")] == ["title", "heading", "total"]
    assert rows_of(job, "refused") == [("名单", 7, "uscc_check")]  # a made-up code
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED


# --- several sheets, one batch; .xls -------------------------------------------------


def _districts():
    header = ["序号", "统一社会信用代码", "企业名称"]
    return {
        "海淀区": [["海淀区高新技术企业"], header, [1, A, "甲公司"], [2, B, "乙公司"]],
        "朝阳区": [header, [1, C, "丙公司"], [2, A, "甲公司"]],
        "说明": [["本名单由区科委发布。"]],
    }


@pytest.mark.parametrize(("build", "name"), [(xlsx_book, "名单.xlsx"), (xls_book, "名单.xls")])
def test_every_sheet_is_read_and_imported_as_one_batch(upload, confirm, program, build, name):
    _member, claim = submitted_claim(B, program, name="乙公司")
    job = upload(build(_districts()), name)
    assert job.analysis["claims"]["verified"] == 1
    sheets = job.analysis["sheets"]
    assert [(s["name"], s.get("to_load"), bool(s["error"])) for s in sheets] == [
        ("海淀区", 2, False),
        ("朝阳区", 1, False),  # A again: a duplicate of the first sheet's row
        ("说明", None, True),
    ]
    job = confirm(job)
    assert loaded() == [(A, "甲公司", "海淀区"), (B, "乙公司", "海淀区"), (C, "丙公司", "朝阳区")]
    assert rows_of(job, "refused") == [("朝阳区", 3, "duplicate")]
    assert rows_of(job, "skipped") == [("海淀区", 1, "title")]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED and job.claims_verified == 1
    assert job.file_format == ("xls" if name.endswith(".xls") else "xlsx")
    assert set(RegistryEntry.objects.values_list("batch", flat=True)) == {BATCH}


def test_the_officer_chooses_sheets_and_maps_an_unknown_header(upload, confirm, officer):
    book = xlsx_book(
        {
            "一": [["序号", "纳税人识别号", "企业名称"], [1, A, "甲公司"]],
            "二": [["序号", "统一社会信用代码", "企业名称"], [1, B, "乙公司"]],
        }
    )
    job = upload(book, "名单.xlsx")
    # Sheet one has no code column it knows: read as a name-only sheet until mapped.
    assert job.analysis["sheets"][0]["mapping"] == {"seq": 0, "name": 2}
    job = services.list_import_adjust(
        list_import=job, actor=officer, mappings={"一": {"1": "uscc"}}, sheets=["一"]
    )
    assert job.analysis["sheets"][0]["mapping"] == {"seq": 0, "name": 2, "uscc": 1}
    assert (job.analysis["to_load"], [s["chosen"] for s in job.analysis["sheets"]]) == (
        1,
        [True, False],
    )
    confirm(job)
    assert loaded() == [(A, "甲公司", "")]


# --- a PDF as MIIT publishes it: no credit codes, provinces merged down ----------------


def test_a_pdf_name_only_list_loads_names_with_their_provinces(upload, confirm, program):
    rows = [["序号", "省份", "企业名称"]]
    rows += [
        [str(i + 1), "北京市" if i < 45 else "", f"北京测试{i}科技有限公司"] for i in range(50)
    ]
    rows += [["51", "江苏省", "苏州测试科技有限公司"]]
    suzhou = ZoneFactory(city="苏州", province="江苏省")
    _member, claim = submitted_claim(F, program, name="苏州测试科技有限公司", zone=suzhou)
    # The same name in a zone of another province is not this list's firm.
    submitted_claim(E, program, name="苏州测试科技有限公司", zone=ZoneFactory(province="浙江省"))
    job = upload(pdf_table(rows, rows_per_page=20, title="第五批专精特新“小巨人”企业名单"), "a.pdf")
    assert job.file_format == "pdf" and job.analysis["name_only"]
    assert (job.analysis["to_load"], job.analysis["refused"]) == (51, 0)
    assert job.analysis["claims"]["name_matches"] == 1
    job = confirm(job)
    # The title above the table and the header repeated on pages 2 and 3 are not data.
    assert [r[2] for r in rows_of(job, "skipped")] == ["title", "header", "header"]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED  # a name match waits for the officer
    assert job.name_matches == 1
    entries = RegistryEntry.objects.filter(uscc="")
    assert entries.count() == 51
    assert entries.get(name="北京测试49科技有限公司").region == "北京市"  # carried down
    assert entries.get(name="苏州测试科技有限公司").region == "江苏省"
    assert entries.get(name="北京测试3科技有限公司").name_key == "北京测试3科技有限公司"
