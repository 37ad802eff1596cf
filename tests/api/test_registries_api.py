"""Registry API: entry look-up for signed-in users; imports for the program's officers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from ecosystem.registries.models import ListImport, RegistryEntry
from tests.factories import (
    BankStaffFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    RegistryOfficerFactory,
    ZoneOfficialFactory,
)
from tests.worlds.list_claims import program_with_term
from tests.worlds.registry_files import csv_bytes, rows_for

pytestmark = pytest.mark.django_db
BATCH = "2026年第一批"


@pytest.fixture
def program():
    return ProgramFactory(code="srdi")


@pytest.fixture
def officer(program):
    return RegistryOfficerFactory(program=program)


def client_for(user=None):
    api = APIClient()
    if user:
        api.force_authenticate(user)
    return api


def upload(api, content, program_code="srdi"):
    return api.post(
        "/api/v1/list-imports/",
        {"program": program_code, "batch": BATCH, "file": SimpleUploadedFile("名单.csv", content)},
        format="multipart",
    )


def test_officer_uploads_confirms_and_reads_status_and_errors(
    officer, django_capture_on_commit_callbacks
):
    api = client_for(officer)
    rows = rows_for(5)
    rows[1][1] = "123"
    created = upload(api, csv_bytes(rows, encoding="gb18030"))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["encoding"], body["total_rows"]) == ("preview", "GB18030", 5)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api.post(f"/api/v1/list-imports/{body['id']}/confirm/")
    assert confirmed.status_code == 200
    status = api.get(f"/api/v1/list-imports/{body['id']}/").json()
    assert (status["status"], status["inserted"], status["error_rows"], status["percent"]) == (
        "succeeded",
        4,
        1,
        100,
    )
    errors = api.get(f"/api/v1/list-imports/{body['id']}/errors/").json()["results"]
    assert [(e["row_number"], e["code"]) for e in errors] == [(3, "uscc_length")]
    again = api.post(f"/api/v1/list-imports/{body['id']}/confirm/")
    assert again.status_code == 409


def test_unknown_headers_get_a_clear_400_and_nothing_is_kept(officer):
    response = upload(client_for(officer), csv_bytes(rows_for(2), headers=list("abcdefg")))
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_headers"
    assert not ListImport.objects.exists()


@pytest.mark.parametrize(
    "factory",
    [EnterpriseMemberFactory, ZoneOfficialFactory, BankStaffFactory, RegistryOfficerFactory],
)
def test_others_cannot_upload_or_see_imports(officer, factory, django_capture_on_commit_callbacks):
    job = ListImport.objects.get(
        pk=upload(client_for(officer), csv_bytes(rows_for(2))).json()["id"]
    )
    outsider = client_for(factory())
    assert upload(outsider, csv_bytes(rows_for(2))).status_code == 404
    assert outsider.get(f"/api/v1/list-imports/{job.pk}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert outsider.post(f"/api/v1/list-imports/{job.pk}/confirm/").status_code == 404
    assert ListImport.objects.count() == 1
    job.refresh_from_db()
    assert job.status == "preview"
    assert not RegistryEntry.objects.exists()


def test_anonymous_gets_401():
    assert client_for().get("/api/v1/registry-entries/?uscc=x").status_code == 401
    assert client_for().get("/api/v1/list-imports/").status_code == 401


def test_any_signed_in_user_looks_up_a_code(officer, django_capture_on_commit_callbacks):
    rows = rows_for(3)
    job = upload(client_for(officer), csv_bytes(rows)).json()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(officer).post(f"/api/v1/list-imports/{job['id']}/confirm/")
    member = client_for(EnterpriseMemberFactory())
    found = member.get(f"/api/v1/registry-entries/?uscc={rows[2][1].lower()}").json()["results"]
    assert [(e["program"], e["batch"], e["status"]) for e in found] == [("srdi", BATCH, "current")]
    assert member.get("/api/v1/registry-entries/").status_code == 400


def test_the_preview_mapping_and_skipped_rows_through_the_api(
    client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import RegistryOfficerFactory, make_uscc

    program = program_with_term("hte-api")
    officer = RegistryOfficerFactory(program=program)
    client.force_login(officer)
    a, b = make_uscc(97_001), make_uscc(97_002)
    text = "\n".join(
        ["附件1", "序号,纳税人识别号,企业名称", f"1,{a},甲公司", f"2,{b},乙公司", "合计,,2家", ""]
    )
    created = client.post(
        "/api/v1/list-imports/",
        {
            "program": "hte-api",
            "batch": "第一批",
            "file": SimpleUploadedFile("a.csv", text.encode()),
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    sheet = body["preview"]["sheets"][0]
    assert sheet["mapping"] == {"seq": 0, "name": 2} and body["preview"]["name_only"]
    adjusted = client.post(
        f"/api/v1/list-imports/{body['id']}/adjust/",
        {"mappings": {"CSV": {"1": "uscc"}}},
        content_type="application/json",
    )
    assert adjusted.status_code == 200, adjusted.content
    preview = adjusted.json()["preview"]
    assert (preview["to_load"], preview["skipped"], preview["refused"], preview["name_only"]) == (
        2,
        2,
        0,
        False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/list-imports/{body['id']}/confirm/").status_code == 200
    skipped = client.get(f"/api/v1/list-imports/{body['id']}/errors/?kind=skipped").json()
    assert [(e["row_number"], e["code"]) for e in skipped["results"]] == [
        (1, "title"),
        (5, "total"),
    ]
    bad = client.post(
        f"/api/v1/list-imports/{body['id']}/adjust/",
        {"sheets": ["CSV"]},
        content_type="application/json",
    )
    assert bad.status_code == 409  # the import has started: the mapping is fixed
