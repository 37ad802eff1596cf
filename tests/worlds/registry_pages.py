"""The registry import pages' helpers: a program and its officer, uploading and running
an import through the services, rows with errors, and reading CSV/XLSX responses."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ecosystem.registries import services
from ecosystem.registries.models import ListImport
from tests.factories import (
    ProgramFactory,
    RegistryOfficerFactory,
)
from tests.worlds.registry_files import rows_for

BATCH = "2026年第一批"


def make_program():
    return ProgramFactory(code="tsme")


def make_officer(program):
    return RegistryOfficerFactory(program=program)


def upload(officer, program, content: bytes, *, name="list.csv", batch=BATCH) -> ListImport:
    return services.list_import_upload(
        actor=officer, program=program, batch=batch, upload=SimpleUploadedFile(name, content)
    )


def make_run(officer, program, django_capture_on_commit_callbacks):
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
