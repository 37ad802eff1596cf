"""Registry pages: upload, preview, confirm and progress of a list import, row errors and
reconciliation (the entry look-up: test_registry_lookup.py)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries import services
from ecosystem.registries.models import ListImport, RegistryEntry
from tests.factories import (
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)
from tests.worlds.files import PDF
from tests.worlds.registry_files import csv_bytes, rows_for, xlsx_bytes
from tests.worlds.registry_pages import (
    BATCH,
    bad_rows,
    csv_rows,
    make_officer,
    make_program,
    make_run,
    upload,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return make_program()


@pytest.fixture
def officer(program):
    return make_officer(program)


@pytest.fixture
def run(officer, program, django_capture_on_commit_callbacks):
    return make_run(officer, program, django_capture_on_commit_callbacks)


# --- upload → preview → confirm → finished ------------------------------------------


def test_upload_preview_confirm_and_finish(
    client, officer, program, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    rows = bad_rows(12)
    response = client.post(
        reverse("registry_import_upload"),
        {
            "program": program.pk,
            "batch": BATCH,
            "file": SimpleUploadedFile("名单.csv", csv_bytes(rows, encoding="utf-8-sig")),
        },
    )
    job = ListImport.objects.get()
    detail = reverse("registry_import_detail", args=[job.pk])
    assert response.status_code == 302 and response["Location"] == detail
    assert job.status == ListImport.Status.PREVIEW

    preview = client.get(detail)
    assert preview.templates[0].name == "registries/imports/preview.html"
    page = preview.content.decode()
    assert "UTF-8 with BOM" in page
    assert 'data-testid="count-load">10<' in page
    assert 'data-testid="count-refused">2<' in page
    assert 'data-testid="count-skipped">0<' in page
    (sheet,) = preview.context["sheets"]
    read_as = {c["header"]: c["field"] for c in sheet["columns"]}
    assert read_as["统一社会信用代码"] == "uscc" and "certificate_number" not in read_as.values()
    assert [r[0] for r in sheet["refused_rows"]] == [3, 6]  # header on row 1
    assert sheet["refused_rows"][1][3] in page  # the reason, in words
    good = [r for i, r in enumerate(rows) if i not in (1, 4)]
    assert good[9][1] in page and len(sheet["sample"]) == 10  # the first ten rows to load
    assert not RegistryEntry.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry_import_confirm", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == detail
    job.refresh_from_db()
    assert job.status == ListImport.Status.SUCCEEDED
    assert (job.inserted, job.error_rows) == (10, 2)
    assert RegistryEntry.objects.count() == 10

    finished = client.get(detail)
    assert finished.templates[0].name == "registries/imports/progress.html"
    page = finished.content.decode()
    assert job.message in page
    assert 'data-testid="count-inserted">10<' in page
    assert 'data-testid="count-errors">2<' in page
    assert reverse("registry_import_errors_export", args=[job.pk, "csv"]) in page
    assert "hx-trigger" not in page

    # Confirming again is refused with a message and changes nothing.
    again = client.post(reverse("registry_import_confirm", args=[job.pk]), follow=True)
    assert [m.level_tag for m in again.context["messages"]] == ["error"]
    assert RegistryEntry.objects.count() == 10


def test_cancelling_a_preview_discards_the_upload(client, officer, program):
    job = upload(officer, program, csv_bytes(rows_for(3)))
    client.force_login(officer)
    response = client.post(reverse("registry_import_cancel", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("registry_imports")
    job.refresh_from_db()
    assert job.status == ListImport.Status.CANCELLED
    assert not RegistryEntry.objects.exists()


def test_cancelling_a_running_import_asks_the_worker_to_stop(client, officer, program):
    job = upload(officer, program, csv_bytes(rows_for(3)))
    ListImport.objects.filter(pk=job.pk).update(
        status=ListImport.Status.RUNNING, phase="reading", processed_rows=1
    )
    client.force_login(officer)
    page = client.get(reverse("registry_import_detail", args=[job.pk])).content.decode()
    assert 'data-testid="cancel-running"' in page
    client.post(reverse("registry_import_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.cancel_requested and job.status == ListImport.Status.RUNNING
    fragment = client.get(reverse("registry_import_progress", args=[job.pk])).content.decode()
    assert 'data-testid="cancel-running"' not in fragment
    assert "hx-trigger" in fragment  # still polling until the worker stops


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (csv_bytes(rows_for(3), headers=list("abcdefg")), "list.csv", "unknown_headers"),
        (b"\x81\x30\xff\xff,\x80\xff", "list.csv", "bad_encoding"),
        (b"\x80\xff\xfe\x00\x00binary", "list.csv", "bad_format"),
        (b"PK\x03\x04 not really a workbook", "list.xlsx", "list_file_damaged"),
        (csv_bytes(rows_for(400)), "big.csv", "upload_too_large"),
    ],
)
def test_a_refused_file_is_explained_on_the_form_and_keeps_the_batch(
    client, officer, program, settings, content, name, code
):
    settings.LIST_UPLOAD_MAX_BYTES = 10_000
    client.force_login(officer)
    response = client.post(
        reverse("registry_import_upload"),
        {"program": program.pk, "batch": "2026年第二批", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["file"]
    page = response.content.decode()
    assert 'data-testid="error-file"' in page
    assert 'value="2026年第二批"' in page
    assert f'<option value="{program.pk}" selected>' in page
    assert not ListImport.objects.exists()
    if code == "unknown_headers":
        assert "统一社会信用代码" in form.errors["file"][0]


def test_a_missing_batch_is_reported_on_the_batch_field(client, officer, program):
    client.force_login(officer)
    response = client.post(
        reverse("registry_import_upload"),
        {
            "program": program.pk,
            "batch": "  ",
            "file": SimpleUploadedFile("l.csv", csv_bytes(rows_for(2))),
        },
    )
    assert response.status_code == 200
    assert "batch" in response.context["form"].errors
    assert not ListImport.objects.exists()


def test_an_xlsx_preview_names_the_format(client, officer, program):
    job = upload(officer, program, xlsx_bytes(rows_for(3)), name="名单.xlsx")
    client.force_login(officer)
    url = reverse("registry_import_detail", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="detected-format">Excel（.xlsx）<' in page  # in the reader's language
    client.post(reverse("set_language"), {"language": "en"})
    assert 'data-testid="detected-format">Excel (.xlsx)<' in client.get(url).content.decode()
    assert 'data-testid="count-load">3<' in page


# --- progress fragment ------------------------------------------------------------


def test_the_progress_fragment_polls_while_running_and_stops_when_finished(
    client, officer, program, django_capture_on_commit_callbacks
):
    job = upload(officer, program, csv_bytes(rows_for(8)))
    ListImport.objects.filter(pk=job.pk).update(
        status=ListImport.Status.RUNNING, phase="reading", processed_rows=2
    )
    client.force_login(officer)
    url = reverse("registry_import_progress", args=[job.pk])
    running = client.get(url, headers={"HX-Request": "true"})
    fragment = running.content.decode()
    assert fragment.lstrip().startswith('<section id="import-progress"')
    assert "<html" not in fragment
    assert 'hx-trigger="every 1s"' in fragment and f'hx-get="{url}"' in fragment
    assert 'data-percent="25"' in fragment
    assert re.search(r'data-testid="import-phase">\s*\S', fragment)  # the phase, in words

    ListImport.objects.filter(pk=job.pk).update(status=ListImport.Status.QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        services.list_import_run(import_id=job.pk)
    finished = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in finished and "hx-get" not in finished
    assert 'data-status="succeeded"' in finished
    assert 'data-percent="100"' in finished
    assert 'data-testid="count-inserted">8<' in finished


# --- row errors ---------------------------------------------------------------------


def test_row_errors_page_and_downloads_carry_row_numbers_and_neutralise_formulas(
    client, officer, run
):
    rows = bad_rows()
    job = run(csv_bytes(rows))
    client.force_login(officer)
    page = client.get(reverse("registry_import_errors", args=[job.pk])).content.decode()
    messages = dict(job.errors.values_list("row_number", "message"))
    assert messages[3] in page and messages[6] in page
    assert "uscc_check" not in page and "missing_name" not in page  # words, not codes

    table = csv_rows(client.get(reverse("registry_import_errors_export", args=[job.pk, "csv"])))
    assert len(table[0]) == 5
    # header is file row 1, so data row k is file row k + 1
    assert [r[:2] for r in table[1:]] == [["CSV", "3"], ["CSV", "6"]]
    assert table[1][2] == messages[3]
    assert table[1][3] == rows[1][1]
    assert table[1][4] == "'=cmd()"
    assert all(r[2] for r in table[1:])

    sheet = xlsx_rows(client.get(reverse("registry_import_errors_export", args=[job.pk, "xlsx"])))
    assert [r[1] for r in sheet[1:]] == [3, 6]
    assert sheet[1][4] == "'=cmd()"


def test_an_unknown_export_format_is_a_404(client, officer, run):
    job = run(csv_bytes(bad_rows()))
    client.force_login(officer)
    url = reverse("registry_import_errors_export", args=[job.pk, "pdf"])
    assert client.get(url).status_code == 404


# --- reconciliation -----------------------------------------------------------------


def _submitted_claim(enterprise, program):
    from ecosystem.enterprises import services as enterprise_services

    member = EnterpriseMemberFactory(enterprise=enterprise)
    claim = enterprise_services.claim_create(
        enterprise=enterprise, actor=member, program=program, certificate_number="T1", year=2026
    )
    enterprise_services.evidence_add(
        claim=claim, actor=member, upload=SimpleUploadedFile("c.pdf", PDF)
    )
    return enterprise_services.claim_submit(claim=claim, actor=member)


@pytest.fixture
def reconciled(program, run):
    """20 rows, 5 of them in Shanghai; 4 registered (one with a claim that a second list
    revokes), then a second list that drops the last 3 rows. The firms bear the names the
    list gives them: list verification compares the name as well as the code."""
    rows = rows_for(20)
    for row in rows[15:]:
        row[6] = "上海市浦东新区"
    registered = [EnterpriseFactory(uscc=rows[i][1], name=rows[i][2]) for i in (0, 3, 16, 19)]
    verified = _submitted_claim(registered[1], program)
    revoked = _submitted_claim(registered[3], program)
    run(csv_bytes(rows))
    run(csv_bytes(rows[:17]))
    verified.refresh_from_db()
    revoked.refresh_from_db()
    assert (verified.status, revoked.status) == (ClaimStatus.VERIFIED, ClaimStatus.REVOKED)
    return {"rows": rows, "registered": registered, "verified": verified, "revoked": revoked}


def test_outreach_export_holds_exactly_the_listed_but_unregistered_entries(
    client, officer, program, reconciled
):
    rows = reconciled["rows"]
    current = {r[1] for r in rows[:17]}  # the second list dropped the last three
    registered = {e.uscc for e in reconciled["registered"]}
    expected = current - registered
    assert len(expected) == 14

    client.force_login(officer)
    url = reverse("registry_reconciliation_export", args=[program.pk, "outreach", "csv"])
    table = csv_rows(client.get(url, {"batch": BATCH}))
    assert {r[0] for r in table[1:]} == expected
    assert len(table) == 1 + len(expected)
    names = {r[1]: r[2] for r in rows}
    assert all(r[1] == names[r[0]] for r in table[1:])

    url = reverse("registry_reconciliation_export", args=[program.pk, "outreach", "xlsx"])
    sheet = xlsx_rows(client.get(url, {"batch": BATCH}))
    assert {r[0] for r in sheet[1:]} == expected


def test_reconciliation_page_shows_figures_outreach_and_claims(
    client, officer, program, reconciled
):
    client.force_login(officer)
    response = client.get(reverse("registry_reconciliation", args=[program.pk]), {"batch": BATCH})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="figure-listed">17<' in page
    assert 'data-testid="figure-registered">3<' in page
    assert 'data-testid="figure-withdrawn">3<' in page
    assert 'data-testid="figure-verified">1<' in page
    assert 'data-testid="figure-revoked">1<' in page
    assert 'data-testid="outreach-count">14<' in page
    verified, revoked = reconciled["verified"], reconciled["revoked"]
    section = page[page.index('data-testid="claims-verified"') :]
    assert verified.enterprise.name in section[: section.index("</table>")]
    section = page[page.index('data-testid="claims-revoked"') :]
    assert revoked.enterprise.name in section[: section.index("</table>")]
    table = csv_rows(
        client.get(
            reverse("registry_reconciliation_export", args=[program.pk, "revoked", "csv"]),
            {"batch": BATCH},
        )
    )
    assert [r[0] for r in table[1:]] == [revoked.enterprise.uscc]


def test_outreach_is_paginated(client, officer, program, run):
    run(csv_bytes(rows_for(120)))
    client.force_login(officer)
    url = reverse("registry_reconciliation", args=[program.pk])
    first = client.get(url, {"batch": BATCH})
    assert len(first.context["outreach"].object_list) == 50
    page = first.content.decode()
    assert "page=2" in page and "batch=" in page
    third = client.get(url, {"batch": BATCH, "page": 3})
    assert len(third.context["outreach"].object_list) == 20


def test_a_zone_officials_outreach_list_covers_their_city(client, program, reconciled):
    rows = reconciled["rows"]
    official = ZoneOfficialFactory(zone=ZoneFactory(code="pudong", city="上海"))
    expected = {r[1] for r in rows[15:17]}  # Shanghai rows still listed, not registered
    expected -= {e.uscc for e in reconciled["registered"]}
    client.force_login(official)
    url = reverse("registry_reconciliation_export", args=[program.pk, "outreach", "csv"])
    table = csv_rows(client.get(url, {"batch": BATCH}))
    assert {r[0] for r in table[1:]} == expected == {rows[15][1]}


def test_bank_staff_see_the_outreach_of_the_zones_their_branch_serves(client, program, reconciled):
    rows = reconciled["rows"]
    staff = BankStaffFactory(branch=BranchFactory(zones=[ZoneFactory(code="hd", city="北京")]))
    client.force_login(staff)
    url = reverse("registry_reconciliation_export", args=[program.pk, "outreach", "csv"])
    table = csv_rows(client.get(url, {"batch": BATCH}))
    registered = {e.uscc for e in reconciled["registered"]}
    assert {r[0] for r in table[1:]} == {r[1] for r in rows[:15]} - registered
