"""Registry pages: who may open what, the upload → preview → confirm → finished flow,
the polled progress fragment, row-error and outreach downloads, and credit code look-up."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries import services
from ecosystem.registries.models import ListImport, RegistryEntry
from tests.factories import (
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    PlatformAdminFactory,
    ProgramFactory,
    RegistryOfficerFactory,
    UserFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)
from tests.registry_files import csv_bytes, rows_for, xlsx_bytes

pytestmark = pytest.mark.django_db
BATCH = "2026年第一批"
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def program():
    return ProgramFactory(code="tsme")


@pytest.fixture
def officer(program):
    return RegistryOfficerFactory(program=program)


def upload(officer, program, content: bytes, *, name="list.csv", batch=BATCH) -> ListImport:
    return services.list_import_upload(
        actor=officer, program=program, batch=batch, upload=SimpleUploadedFile(name, content)
    )


@pytest.fixture
def run(officer, program, django_capture_on_commit_callbacks):
    """Upload and import through the services (eager Celery), as setup for page tests."""

    def _run(content: bytes, *, batch=BATCH) -> ListImport:
        job = upload(officer, program, content, batch=batch)
        with django_capture_on_commit_callbacks(execute=True):
            services.list_import_confirm(list_import=job, actor=officer)
        job.refresh_from_db()
        assert job.is_finished, job.message
        return job

    return _run


def bad_rows(n: int = 6) -> list[list]:
    """``n`` rows of which data rows 2 and 5 are bad: a formula-like name on a wrong code,
    and a missing name."""
    rows = rows_for(n)
    rows[1][1] = rows[1][1][:17] + ("0" if rows[1][1][17] != "0" else "1")
    rows[1][2] = "=cmd()"
    rows[4][2] = ""
    return rows


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response) -> list[list[str]]:
    text = body_of(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(body_of(response))).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def login_redirects(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# --- who may open what ------------------------------------------------------------


@pytest.fixture
def world(program, officer, run):
    """One finished import with errors and one waiting for confirmation, plus one caller
    of every kind."""
    finished = run(csv_bytes(bad_rows()))
    pending = upload(officer, program, csv_bytes(rows_for(3, start=100)), batch="2026年第二批")
    other_program = ProgramFactory(code="hte")
    return {
        "finished": finished,
        "pending": pending,
        "callers": {
            "member": EnterpriseMemberFactory(),
            "zone_official": ZoneOfficialFactory(),
            "bank_staff": BankStaffFactory(),
            "other_officer": RegistryOfficerFactory(program=other_program),
            "officer": officer,
        },
    }


def import_pages(world) -> dict[str, str]:
    finished, pending = world["finished"], world["pending"]
    return {
        "preview": reverse("registry_import_detail", args=[pending.pk]),
        "progress_page": reverse("registry_import_detail", args=[finished.pk]),
        "progress_fragment": reverse("registry_import_progress", args=[finished.pk]),
        "errors": reverse("registry_import_errors", args=[finished.pk]),
        "errors_csv": reverse("registry_import_errors_export", args=[finished.pk, "csv"]),
        "errors_xlsx": reverse("registry_import_errors_export", args=[finished.pk, "xlsx"]),
    }


OFFICER_ONLY = ["imports", "imports_csv", "upload"]


def officer_pages() -> dict[str, str]:
    return {
        "imports": reverse("registry_imports"),
        "imports_csv": reverse("registry_imports_export", args=["csv"]),
        "upload": reverse("registry_import_upload"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "imports",
        "imports_csv",
        "upload",
        "preview",
        "progress_page",
        "progress_fragment",
        "errors",
        "errors_csv",
        "errors_xlsx",
    ],
)
@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        ("anonymous", "login"),
        ("member", 404),
        ("zone_official", 404),
        ("bank_staff", 404),
        ("other_officer", 404),
        ("officer", 200),
    ],
)
def test_import_pages_are_for_officers_of_the_program(client, world, name, caller, expected):
    url = {**officer_pages(), **import_pages(world)}[name]
    if caller != "anonymous":
        client.force_login(world["callers"][caller])
    response = client.get(url)
    if expected == "login":
        assert login_redirects(response)
    elif caller == "other_officer" and name in OFFICER_ONLY:
        # An officer of another program has the pages, but none of this program's imports.
        assert response.status_code == 200
        assert world["finished"].original_name not in body_of(response).decode()
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("caller", ["member", "zone_official", "bank_staff", "other_officer"])
@pytest.mark.parametrize("action", ["registry_import_confirm", "registry_import_cancel"])
def test_a_denied_confirm_or_cancel_is_a_404_and_changes_nothing(client, world, caller, action):
    pending = world["pending"]
    client.force_login(world["callers"][caller])
    response = client.post(reverse(action, args=[pending.pk]))
    assert response.status_code == 404
    pending.refresh_from_db()
    assert (pending.status, pending.cancel_requested) == (ListImport.Status.PREVIEW, False)
    assert not RegistryEntry.objects.filter(batch="2026年第二批").exists()


def test_anonymous_confirm_redirects_to_login_and_changes_nothing(client, world):
    pending = world["pending"]
    response = client.post(reverse("registry_import_confirm", args=[pending.pk]))
    assert login_redirects(response)
    pending.refresh_from_db()
    assert pending.status == ListImport.Status.PREVIEW


@pytest.mark.parametrize("caller", ["member", "zone_official", "bank_staff"])
def test_a_denied_upload_is_a_404_and_stores_nothing(client, world, program, caller):
    client.force_login(world["callers"][caller])
    before = ListImport.objects.count()
    response = client.post(
        reverse("registry_import_upload"),
        {
            "program": program.pk,
            "batch": "2026年第三批",
            "file": SimpleUploadedFile("l.csv", csv_bytes(rows_for(2))),
        },
    )
    assert response.status_code == 404
    assert ListImport.objects.count() == before


def test_an_officer_cannot_upload_to_another_program(client, world, program):
    client.force_login(world["callers"]["other_officer"])
    page = client.get(reverse("registry_import_upload")).content.decode()
    assert f'value="{program.pk}"' not in page
    before = ListImport.objects.count()
    response = client.post(
        reverse("registry_import_upload"),
        {
            "program": program.pk,
            "batch": "2026年第三批",
            "file": SimpleUploadedFile("l.csv", csv_bytes(rows_for(2))),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["program"]
    assert ListImport.objects.count() == before


def test_the_history_lists_only_the_officers_programs_with_times_in_shanghai(client, world):
    ListImport.objects.filter(pk=world["finished"].pk).update(
        created_at=datetime(2026, 1, 1, 16, 30, tzinfo=UTC)
    )
    foreign = upload(
        PlatformAdminFactory(), ProgramFactory(code="giant"), csv_bytes(rows_for(2, start=300))
    )
    client.force_login(world["callers"]["officer"])
    response = client.get(reverse("registry_imports"))
    page = response.content.decode()
    assert f'data-testid="import-{world["finished"].pk}"' in page
    assert f'data-testid="import-{world["pending"].pk}"' in page
    assert f'data-testid="import-{foreign.pk}"' not in page
    assert "2026-01-02 00:30" in page  # 16:30 UTC is half past midnight in Shanghai
    rows = csv_rows(client.get(reverse("registry_imports_export", args=["csv"])))
    assert len(rows) == 3  # header and the two imports of the officer's program


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        ("anonymous", "login"),
        ("member", 404),
        ("other_officer", 404),
        ("zone_official", 200),
        ("bank_staff", 200),
        ("officer", 200),
    ],
)
@pytest.mark.parametrize("name", ["reconciliation", "outreach_csv", "verified_xlsx"])
def test_reconciliation_is_for_officers_zone_officials_and_bank_staff(
    client, world, program, caller, expected, name
):
    url = {
        "reconciliation": reverse("registry_reconciliation", args=[program.pk]),
        "outreach_csv": reverse(
            "registry_reconciliation_export", args=[program.pk, "outreach", "csv"]
        ),
        "verified_xlsx": reverse(
            "registry_reconciliation_export", args=[program.pk, "verified", "xlsx"]
        ),
    }[name]
    if caller != "anonymous":
        client.force_login(world["callers"][caller])
    response = client.get(url, {"batch": BATCH})
    if expected == "login":
        assert login_redirects(response)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("caller", "expected", "sees_list"),
    [
        ("member", 404, False),
        ("other_officer", 200, False),
        ("zone_official", 200, True),
        ("bank_staff", 200, True),
        ("officer", 200, True),
    ],
)
def test_the_list_index_shows_the_lists_each_role_may_reconcile(
    client, world, program, caller, expected, sees_list
):
    client.force_login(world["callers"][caller])
    response = client.get(reverse("registry_lists"))
    assert response.status_code == expected
    link = reverse("registry_reconciliation", args=[program.pk])
    assert (link in response.content.decode()) is sees_list


def test_the_list_index_needs_a_login(client):
    assert login_redirects(client.get(reverse("registry_lists")))


def test_an_unknown_batch_or_table_is_a_404(client, world, program):
    client.force_login(world["callers"]["officer"])
    url = reverse("registry_reconciliation", args=[program.pk])
    assert client.get(url, {"batch": "2030年第九批"}).status_code == 404
    assert client.get(url).status_code == 404
    export = reverse("registry_reconciliation_export", args=[program.pk, "secrets", "csv"])
    assert client.get(export, {"batch": BATCH}).status_code == 404
    export = reverse("registry_reconciliation_export", args=[program.pk, "outreach", "pdf"])
    assert client.get(export, {"batch": BATCH}).status_code == 404


def test_navigation_links_each_role_to_its_registry_pages(client, world):
    client.force_login(world["callers"]["officer"])
    assert reverse("registry_imports") in client.get(reverse("home")).content.decode()
    for caller in ("zone_official", "bank_staff"):
        client.force_login(world["callers"][caller])
        page = client.get(reverse("home")).content.decode()
        assert reverse("registry_lists") in page
        assert reverse("registry_imports") not in page
    client.force_login(world["callers"]["member"])
    page = client.get(reverse("home")).content.decode()
    assert reverse("registry_lists") not in page and reverse("registry_imports") not in page


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
    assert 'data-testid="total-rows">12<' in page
    mapping = {field: header for field, _label, header in preview.context["preview"]["columns"]}
    assert mapping["uscc"] == "统一社会信用代码" and mapping["certificate_number"] is None
    assert 'data-testid="mapping-certificate_number" class="text-muted"' in page
    assert len(preview.context["rows"]) == 10
    assert rows[9][1] in page and rows[10][1] not in page  # the first ten rows only
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
        (b"PK\x03\x04 not really a workbook", "list.xlsx", "bad_xlsx"),
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
    page = client.get(reverse("registry_import_detail", args=[job.pk])).content.decode()
    assert 'data-testid="detected-format">XLSX<' in page
    assert 'data-testid="total-rows">3<' in page


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
    assert "invalid_uscc" in page and "missing_name" in page

    table = csv_rows(client.get(reverse("registry_import_errors_export", args=[job.pk, "csv"])))
    assert len(table[0]) == 5
    # header is file row 1, so data row k is file row k + 1
    assert [r[:2] for r in table[1:]] == [["3", "invalid_uscc"], ["6", "missing_name"]]
    assert table[1][3] == rows[1][1]
    assert table[1][4] == "'=cmd()"
    assert all(r[2] for r in table[1:])

    sheet = xlsx_rows(client.get(reverse("registry_import_errors_export", args=[job.pk, "xlsx"])))
    assert [r[0] for r in sheet[1:]] == [3, 6]
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
    revokes), then a second list that drops the last 3 rows."""
    rows = rows_for(20)
    for row in rows[15:]:
        row[6] = "上海市浦东新区"
    registered = [EnterpriseFactory(uscc=rows[i][1]) for i in (0, 3, 16, 19)]
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


# --- entry look-up ------------------------------------------------------------------


def test_lookup_shows_current_and_withdrawn_entries_to_any_signed_in_user(client, program, run):
    rows = rows_for(3)
    run(csv_bytes(rows))
    run(csv_bytes([[*r[:3], "2026年第二批", *r[4:]] for r in rows]), batch="2026年第二批")
    run(csv_bytes(rows[1:]))  # the first batch drops row 0
    client.force_login(UserFactory())
    url = reverse("registry_entry_lookup")
    response = client.get(url, {"uscc": rows[0][1].lower()})
    assert response.status_code == 200
    page = response.content.decode()
    entries = {e.batch: e for e in response.context["entries"]}
    assert set(entries) == {BATCH, "2026年第二批"}
    assert entries[BATCH].status == RegistryEntry.Status.WITHDRAWN
    assert entries["2026年第二批"].status == RegistryEntry.Status.CURRENT
    assert f'data-testid="entry-{entries[BATCH].pk}"' in page

    unknown = client.get(url, {"uscc": EnterpriseFactory.build().uscc})
    assert 'data-testid="lookup-none"' in unknown.content.decode()
    invalid = client.get(url, {"uscc": "123"})
    assert 'data-testid="error-uscc"' in invalid.content.decode()
    assert invalid.context["entries"] is None


def test_lookup_needs_a_login(client):
    assert login_redirects(client.get(reverse("registry_entry_lookup")))
