"""An officer imports a workbook as a district publishes it, in a real browser: two sheets,
a title row, a total line, a column header the portal does not know, a code Excel turned
into a number. The officer maps the unknown column, sees rows skipped as not data apart
from rows refused, confirms, and the firm's claim is verified."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.models import ListImport, RegistryEntry
from tests.factories import RegistryOfficerFactory, make_uscc
from tests.worlds.browser import sign_in_as
from tests.worlds.list_claims import program_with_term, submitted_claim
from tests.worlds.list_shapes import xlsx_book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
A, C = make_uscc(95_001), make_uscc(95_003)


def workbook() -> bytes:
    return xlsx_book(
        {
            "海淀区": [
                ["2026年第一批高新技术企业名单", None, None, None],
                ["序号", "纳税人识别号", "企业名称", "发证日期"],
                [1, A, "甲科技有限公司", "2026-12-01"],
                [2, 913205000000000000, "乙数据有限公司", "2026-12-01"],
                ["合计：2家", None, None, None],
            ],
            "朝阳区": [
                ["序号", "统一社会信用代码", "企业名称", "发证日期"],
                [1, C, "丙智能有限公司", "2026-12-01"],
            ],
        },
        {"海淀区": ["A1:D1", "A5:D5"]},
    )


def test_officer_maps_a_column_sees_skipped_and_refused_apart_and_the_claim_is_verified(
    page: Page, live_server
):
    program = program_with_term("hte")
    officer = RegistryOfficerFactory(program=program)
    member, claim = submitted_claim(A, program, name="甲科技有限公司")  # as the list names it

    sign_in_as(page.context, live_server, officer)
    page.goto(live_server.url + reverse("registry_import_upload"))
    form = page.get_by_test_id("upload-form")
    form.locator('select[name="program"]').select_option(str(program.pk))
    form.locator('input[name="batch"]').fill("2026年第一批")
    form.locator('input[name="file"]').set_input_files(
        {
            "name": "名单.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": workbook(),
        }
    )
    page.get_by_test_id("upload-submit").click()

    # Both sheets are listed; the first one's code column is not known yet.
    expect(page.get_by_test_id("sheet-table").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_test_id("sheet-table")).to_contain_text("海淀区")
    expect(page.get_by_test_id("sheet-table")).to_contain_text("朝阳区")
    expect(page.get_by_test_id("unknown-headers")).to_be_visible()
    page.get_by_test_id("map-0-1").select_option("uscc")
    page.get_by_test_id("apply-mapping-0").click()

    # Read again: two rows to load, the title and the total skipped, the number refused.
    expect(page.get_by_test_id("count-load")).to_have_text("2")
    expect(page.get_by_test_id("count-skipped")).to_have_text("2")
    expect(page.get_by_test_id("count-refused")).to_have_text("1")
    first = page.get_by_test_id("sheet-detail-0")
    expect(first.get_by_test_id("skipped-rows").locator("tbody tr")).to_have_count(2)
    expect(first.get_by_test_id("skipped-rows")).to_contain_text("合计：2家")
    expect(first.get_by_test_id("refused-rows").locator("tbody tr")).to_have_count(1)
    expect(first.get_by_test_id("refused-rows")).to_contain_text("9.13205E+17")
    expect(page.get_by_test_id("claim-outcomes")).to_contain_text("1")
    assert not RegistryEntry.objects.exists()

    page.get_by_test_id("confirm-import").click()
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("count-inserted")).to_have_text("2")
    expect(page.get_by_test_id("count-skipped")).to_have_text("2")
    expect(page.get_by_test_id("count-errors")).to_have_text("1")
    expect(page.get_by_test_id("count-verified")).to_have_text("1")
    job = ListImport.objects.get()
    assert job.mappings["海淀区"]["1"] == "uscc"  # the officer's choice, kept with the import

    page.get_by_test_id("skipped-page").click()
    expect(page.get_by_test_id("error-table").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_test_id("error-table")).to_contain_text("2026年第一批高新技术企业名单")

    sign_in_as(page.context, live_server, member)
    page.goto(live_server.url + reverse("claim_detail", args=[claim.enterprise_id, claim.pk]))
    expect(page.get_by_test_id("claim-status")).to_have_attribute("data-status", "verified")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    assert claim.registry_entry.uscc == A
