"""Registry pages: who may open what, the upload → preview → confirm → finished flow,
the polled progress fragment, row-error and outreach downloads, and credit code look-up."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecosystem.registries.models import ListImport, RegistryEntry
from tests.factories import (
    BankStaffFactory,
    EnterpriseMemberFactory,
    PlatformAdminFactory,
    ProgramFactory,
    RegistryOfficerFactory,
    ZoneOfficialFactory,
)
from tests.worlds.registry_files import csv_bytes, rows_for
from tests.worlds.registry_pages import (
    BATCH,
    bad_rows,
    body_of,
    csv_rows,
    login_redirects,
    make_officer,
    make_program,
    make_run,
    upload,
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
