"""Official list imports: encodings, headers, row errors, idempotency, withdrawal, verification."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import Notification
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries import services
from ecosystem.registries.models import ImportRowError, ListImport, RegistryEntry
from tests.factories import (
    EnterpriseMemberFactory,
    ProgramFactory,
    RegistryOfficerFactory,
    ZoneOfficialFactory,
)
from tests.worlds.list_claims import listed_firm_claim
from tests.worlds.registry_files import HEADERS_ZH, csv_bytes, rows_for, xlsx_bytes

pytestmark = pytest.mark.django_db
BATCH = "2026年第一批"
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def program():
    return ProgramFactory(code="tsme")


@pytest.fixture
def officer(program):
    return RegistryOfficerFactory(program=program)


@pytest.fixture
def run(officer, program, django_capture_on_commit_callbacks):
    def _run(content: bytes, name="list.csv", batch=BATCH):
        job = services.list_import_upload(
            actor=officer, program=program, batch=batch, upload=SimpleUploadedFile(name, content)
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.list_import_confirm(list_import=job, actor=officer)
        job.refresh_from_db()
        return job

    return _run


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with BOM"), ("gb18030", "GB18030")],
)
def test_csv_in_each_encoding_imports_with_the_encoding_shown(run, encoding, label):
    job = run(csv_bytes(rows_for(5), encoding=encoding))
    assert job.status == ListImport.Status.SUCCEEDED, job.message
    assert job.encoding == label
    assert RegistryEntry.objects.count() == 5
    assert RegistryEntry.objects.filter(name="测试科技有限公司0").exists()  # Chinese intact


def test_xlsx_imports(run):
    rows = rows_for(4)
    rows[0][5] = date(2029, 6, 30)  # a real Excel date cell
    job = run(xlsx_bytes(rows), name="名单.xlsx")
    assert (job.status, job.file_format, job.inserted) == (ListImport.Status.SUCCEEDED, "xlsx", 4)
    assert RegistryEntry.objects.get(uscc=rows[0][1]).valid_until == date(2029, 6, 30)


def test_english_headers_and_a_title_row_are_understood(run):
    headers = [
        "No.",
        "Unified Social Credit Code",
        "Company Name",
        "Batch",
        "Year",
        "Valid until",
        "Region",
    ]
    job = run(csv_bytes(rows_for(3), headers=headers, title="2026年第一批科技型中小企业名单"))
    assert job.inserted == 3


def test_unknown_headers_are_refused_clearly_and_nothing_is_kept(officer, program):
    content = csv_bytes(rows_for(3), headers=["a", "b", "c", "d", "e", "f", "g"])
    with pytest.raises(ApplicationError) as excinfo:
        services.list_import_upload(
            actor=officer, program=program, batch=BATCH, upload=SimpleUploadedFile("x.csv", content)
        )
    assert excinfo.value.code == "unknown_headers"
    assert "统一社会信用代码" in str(excinfo.value.message)
    assert not ListImport.objects.exists() and not RegistryEntry.objects.exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\x80\xff\xfe\x00\x00binary", "bad_format"),
        (b"\x81\x30\xff\xff,\x80\xff", "bad_encoding"),
        (b"PK\x03\x04 not really a workbook", "list_file_damaged"),
    ],
)
def test_disguised_or_misencoded_files_are_refused(officer, program, content, code):
    with pytest.raises(ApplicationError) as excinfo:
        services.list_import_upload(
            actor=officer,
            program=program,
            batch=BATCH,
            upload=SimpleUploadedFile("list.csv", content),
        )
    assert excinfo.value.code == code
    assert not ListImport.objects.exists()


def test_ten_rows_with_three_bad_import_seven_and_report_three(run):
    rows = rows_for(10)
    rows[2][1] = rows[2][1][:17] + ("0" if rows[2][1][17] != "0" else "1")  # check digit
    rows[5][2] = ""  # missing name
    rows[8][1] = rows[1][1]  # duplicate of the second data row
    rows[9][5] = "2028-13-45"  # bad date: but row 10 is kept apart below
    rows[9][5] = "2028-12-31"
    rows[7][5] = "下个月"  # unreadable date
    rows[8][5] = "2028-12-31"
    job = run(csv_bytes(rows))
    errors = list(ImportRowError.objects.filter(list_import=job).values_list("row_number", "code"))
    # header is row 1, so data row k is file row k + 1
    assert errors == [(4, "uscc_check"), (7, "missing_name"), (9, "bad_date"), (10, "duplicate")]
    assert job.valid_rows == 6 and RegistryEntry.objects.count() == 6


def test_exactly_three_bad_rows_of_ten(run):
    rows = rows_for(10)
    rows[0][1] = "91110108MA01DEMO1X"  # forbidden letter O
    rows[4][2] = "   "
    rows[6][5] = "31/31/2028"
    job = run(csv_bytes(rows))
    assert (job.valid_rows, job.error_rows, RegistryEntry.objects.count()) == (7, 3, 7)
    reasons = {e.row_number: e.message for e in ImportRowError.objects.filter(list_import=job)}
    assert sorted(reasons) == [2, 6, 8]
    assert all(reasons.values())


def test_reimporting_the_same_file_changes_nothing_and_says_so(run):
    content = csv_bytes(rows_for(6))
    first = run(content)
    snapshot = list(RegistryEntry.objects.values_list("pk", "updated_at"))
    with translation.override("en"):
        second = run(content)
    assert second.status == ListImport.Status.UNCHANGED
    assert "nothing changed" in second.message.lower()
    assert list(RegistryEntry.objects.values_list("pk", "updated_at")) == snapshot
    # the same rows in another order: a real run that still changes nothing
    third = run(csv_bytes(list(reversed(rows_for(6)))))
    assert (third.status, third.inserted, third.updated, third.unchanged) == (
        ListImport.Status.SUCCEEDED,
        0,
        0,
        6,
    )
    assert list(RegistryEntry.objects.values_list("pk", "updated_at")) == snapshot
    assert first.inserted == 6


def test_an_import_verifies_waiting_claims_citing_the_entry(run, program):
    rows = rows_for(5)
    member, claim = listed_firm_claim(rows[3][1], program)
    job = run(csv_bytes(rows))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    assert claim.registry_entry.uscc == rows[3][1]
    assert BATCH in claim.reason_text
    assert job.claims_verified == 1


def test_a_claim_submitted_after_the_import_is_verified_at_once(
    run, program, django_capture_on_commit_callbacks
):
    rows = rows_for(3)
    run(csv_bytes(rows))
    with django_capture_on_commit_callbacks(execute=True):
        member, claim = listed_firm_claim(rows[0][1], program)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED


def test_a_claim_for_another_program_is_not_verified(run, program):
    rows = rows_for(3)
    member, claim = listed_firm_claim(rows[0][1], ProgramFactory(code="hte"))
    run(csv_bytes(rows))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_a_replacement_batch_withdraws_missing_entries_and_revokes_their_claims(run, program):
    rows = rows_for(5)
    member, claim = listed_firm_claim(rows[4][1], program)
    run(csv_bytes(rows))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    job = run(csv_bytes(rows[:4]))
    assert (job.withdrawn, job.claims_revoked) == (1, 1)
    gone = RegistryEntry.objects.get(uscc=rows[4][1])
    assert gone.status == RegistryEntry.Status.WITHDRAWN  # kept, not deleted
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REVOKED
    assert Notification.objects.filter(
        recipient=member, kind="claim_status", title__contains=str(ClaimStatus.REVOKED.label)
    ).exists()
    # back on the next list: current again
    run(csv_bytes(rows))
    gone.refresh_from_db()
    assert gone.status == RegistryEntry.Status.CURRENT


def test_a_claim_still_proven_by_another_batch_is_not_revoked(run, program):
    rows = rows_for(3)
    member, claim = listed_firm_claim(rows[0][1], program)
    run(csv_bytes(rows))
    run(csv_bytes([[*r[:3], "2026年第二批", *r[4:]] for r in rows]), batch="2026年第二批")
    run(csv_bytes(rows[1:]))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    assert claim.registry_entry.batch == "2026年第二批"


def test_rows_of_another_batch_are_reported(run):
    rows = rows_for(3)
    rows[1][3] = "2025年第九批"
    job = run(csv_bytes(rows))
    assert job.valid_rows == 2
    assert ImportRowError.objects.get().code == "other_batch"


def test_cancel_before_start_imports_nothing(officer, program):
    job = services.list_import_upload(
        actor=officer,
        program=program,
        batch=BATCH,
        upload=SimpleUploadedFile("l.csv", csv_bytes(rows_for(3))),
    )
    services.list_import_cancel(list_import=job, actor=officer)
    services.list_import_run(import_id=job.pk)
    job.refresh_from_db()
    assert job.status == ListImport.Status.CANCELLED
    assert not RegistryEntry.objects.exists()


def test_cancel_while_running_imports_nothing(officer, program):
    job = services.list_import_upload(
        actor=officer,
        program=program,
        batch=BATCH,
        upload=SimpleUploadedFile("l.csv", csv_bytes(rows_for(3))),
    )
    ListImport.objects.filter(pk=job.pk).update(
        status=ListImport.Status.QUEUED, cancel_requested=True
    )
    services.list_import_run(import_id=job.pk)
    job.refresh_from_db()
    assert job.status == ListImport.Status.CANCELLED
    assert not RegistryEntry.objects.exists()


@pytest.mark.parametrize("factory", [ZoneOfficialFactory, EnterpriseMemberFactory])
def test_only_officers_of_the_program_upload(program, factory):
    with pytest.raises(ApplicationError) as excinfo:
        services.list_import_upload(
            actor=factory(),
            program=program,
            batch=BATCH,
            upload=SimpleUploadedFile("l.csv", csv_bytes(rows_for(2))),
        )
    assert excinfo.value.status == 404
    other_officer = RegistryOfficerFactory()
    with pytest.raises(ApplicationError):
        services.list_import_upload(
            actor=other_officer,
            program=program,
            batch=BATCH,
            upload=SimpleUploadedFile("l.csv", csv_bytes(rows_for(2))),
        )
    assert not ListImport.objects.exists()


def test_preview_shows_mapping_encoding_and_first_rows(officer, program):
    job = services.list_import_upload(
        actor=officer,
        program=program,
        batch=BATCH,
        upload=SimpleUploadedFile("l.csv", csv_bytes(rows_for(30), encoding="gb18030")),
    )
    preview = services.list_import_preview(list_import=job)
    assert job.encoding == "GB18030"
    assert (preview["to_load"], preview["skipped"], preview["refused"]) == (30, 0, 0)
    (sheet,) = preview["sheets"]
    assert len(sheet["sample"]) == 10 and sheet["header_row"] == 1
    assert sheet["headers"][sheet["mapping"]["uscc"]] == HEADERS_ZH[1]
    assert "certificate_number" not in sheet["mapping"]
    assert not RegistryEntry.objects.exists()
