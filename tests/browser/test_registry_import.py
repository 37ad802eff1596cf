"""A list import in a real browser: an officer uploads a CSV with two bad rows, checks the
preview, confirms, watches the polled progress to the end and downloads the error report;
then the enterprise whose claim the list proves finds its claim verified."""

import csv
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from ecosystem.enterprises import services as enterprise_services
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries import services
from ecosystem.registries.models import ListImport, RegistryEntry
from ecosystem.registries.tasks import run_list_import
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    RegistryOfficerFactory,
)
from tests.worlds.registry_files import csv_bytes, rows_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BATCH = "2026年第一批"
PDF = b"%PDF-1.4\n%%EOF\n"


def sign_in_as(page: Page, live_server, user) -> None:
    """Open a session with the test client and hand its cookie to the browser: the
    password and TOTP steps have browser tests of their own."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def submitted_claim(enterprise, member, program):
    claim = enterprise_services.claim_create(
        enterprise=enterprise, actor=member, program=program, certificate_number="T-7", year=2026
    )
    enterprise_services.evidence_add(
        claim=claim, actor=member, upload=SimpleUploadedFile("certificate.pdf", PDF)
    )
    return enterprise_services.claim_submit(claim=claim, actor=member)


def test_officer_imports_a_list_and_the_proven_claim_becomes_verified(
    page: Page, live_server, monkeypatch
):
    program = ProgramFactory(code="tsme", name_zh="科技型中小企业")
    officer = RegistryOfficerFactory(program=program)
    rows = rows_for(8)
    rows[4][1] = rows[4][1][:17] + ("0" if rows[4][1][17] != "0" else "1")  # check digit
    rows[4][2] = "=cmd()"
    rows[6][2] = ""  # missing name
    enterprise = EnterpriseFactory(uscc=rows[2][1], name=rows[2][2])  # as the list names it
    member = EnterpriseMemberFactory(enterprise=enterprise)
    claim = submitted_claim(enterprise, member, program)
    assert claim.status == ClaimStatus.SUBMITTED  # no list proves it yet

    # Hold the task back instead of running it eagerly inside the confirm request, so
    # the page has a running import to poll; the test then plays the worker.
    queued: list[int] = []
    # Queued through the outbox, which sends with apply_async after commit.
    monkeypatch.setattr(run_list_import, "apply_async", lambda args: queued.extend(args))

    sign_in_as(page, live_server, officer)
    page.goto(live_server.url + "/")
    page.get_by_test_id("nav-registries").click()
    expect(page).to_have_url(live_server.url + reverse("registry_imports"))
    page.get_by_test_id("upload-list").click()

    form = page.get_by_test_id("upload-form")
    form.locator('select[name="program"]').select_option(str(program.pk))
    form.locator('input[name="batch"]').fill(BATCH)
    form.locator('input[name="file"]').set_input_files(
        {"name": "名单.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}
    )
    page.get_by_test_id("upload-submit").click()

    # Preview: how the file was read, before anything is imported.
    expect(page.get_by_test_id("detected-encoding")).to_have_text("UTF-8")
    expect(page.get_by_test_id("detected-format")).to_have_text("CSV")
    expect(page.get_by_test_id("count-load")).to_have_text("6")
    expect(page.get_by_test_id("count-refused")).to_have_text("2")
    expect(page.get_by_test_id("mapping-uscc")).to_contain_text("统一社会信用代码")
    expect(page.get_by_test_id("preview-rows").locator("tbody tr")).to_have_count(6)
    expect(page.get_by_test_id("preview-rows")).to_contain_text(rows[2][1])
    assert not RegistryEntry.objects.exists()
    page.get_by_test_id("confirm-import").click()

    # Progress: the fragment polls while the "worker" advances.
    job = ListImport.objects.get()
    assert queued == [job.pk]
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_have_attribute("data-status", "queued")
    expect(progress).to_have_attribute("hx-trigger", "every 1s")
    expect(page.get_by_test_id("cancel-running")).to_be_visible()
    ListImport.objects.filter(pk=job.pk).update(
        status=ListImport.Status.RUNNING, phase="reading", processed_rows=4
    )
    expect(page.get_by_test_id("import-percent")).to_have_text("50%")
    expect(progress).to_have_attribute("data-status", "running")
    bar = progress.locator(".progress-bar")
    expect(bar).to_have_attribute("style", re.compile(r"width:\s*50%"))

    services.list_import_run(import_id=job.pk)
    expect(progress).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("import-percent")).to_have_text("100%")
    expect(progress).not_to_have_attribute("hx-trigger", re.compile(".*"))
    expect(page.get_by_test_id("cancel-running")).to_have_count(0)
    expect(page.get_by_test_id("count-inserted")).to_have_text("6")
    expect(page.get_by_test_id("count-errors")).to_have_text("2")
    expect(page.get_by_test_id("count-verified")).to_have_text("1")
    job.refresh_from_db()
    expect(page.get_by_test_id("import-message")).to_have_text(job.message)

    # The error report: both bad rows with their file row numbers, formulas defused.
    with page.expect_download() as download_info:
        page.get_by_test_id("errors-csv").click()
    download = download_info.value
    assert download.suggested_filename == f"list-import-{job.pk}-errors.csv"
    with open(download.path(), encoding="utf-8-sig") as handle:
        report = list(csv.reader(io.StringIO(handle.read())))
    assert [r[1] for r in report[1:]] == ["6", "8"]  # header is row 1: data row k is k + 1
    assert [r[2] for r in report[1:]] == list(
        job.errors.order_by("row_number").values_list("message", flat=True)
    )
    assert report[1][3:] == [rows[4][1], "'=cmd()"]
    assert report[2][3] == rows[6][1]

    # The enterprise sees its claim verified by the list.
    sign_in_as(page, live_server, member)
    page.goto(live_server.url + reverse("claim_detail", args=[enterprise.pk, claim.pk]))
    expect(page.get_by_test_id("claim-status")).to_have_attribute("data-status", "verified")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    assert claim.registry_entry.uscc == enterprise.uscc
