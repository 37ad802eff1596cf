"""A large list is read by the imports worker, not while the upload request waits: the
officer sees its progress, then the same preview; a large file that cannot be read fails
with its reason and nothing of it is kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecosystem.registries import services
from ecosystem.registries.models import ListImport, RegistryEntry
from tests.factories import RegistryOfficerFactory, make_uscc
from tests.worlds.list_claims import program_with_term
from tests.worlds.list_shapes import corrupt_xlsx

pytestmark = pytest.mark.django_db
BATCH = "2026年第一批"


@pytest.fixture
def program():
    return program_with_term("hte")


@pytest.fixture
def officer(program):
    return RegistryOfficerFactory(program=program)


@pytest.fixture(autouse=True)
def _small_inline_limit(settings):
    settings.LIST_INLINE_READ_BYTES = 100  # every list below is "large"


def _csv(n: int) -> bytes:
    lines = [
        "附件1",
        "统一社会信用代码,企业名称",
        *[f"{make_uscc(84_000 + i)},企业{i}" for i in range(n)],
    ]
    return ("\n".join(lines) + "\n").encode()


def test_a_large_list_is_read_by_the_worker_then_previewed(
    client, officer, program, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = services.list_import_upload(
            actor=officer,
            program=program,
            batch=BATCH,
            upload=SimpleUploadedFile("a.csv", _csv(30)),
        )
    assert job.status == ListImport.Status.ANALYSING and job.analysis == {}
    client.force_login(officer)
    detail = reverse("registry_import_detail", args=[job.pk])
    page = client.get(detail)
    assert page.templates[0].name == "registries/imports/progress.html"
    assert 'data-status="analysing"' in page.content.decode()
    progress = reverse("registry_import_progress", args=[job.pk])
    assert "hx-trigger" in client.get(progress, HTTP_HX_REQUEST="true").content.decode()

    for callback in queued:  # the worker reads it
        callback()
    job.refresh_from_db()
    assert job.status == ListImport.Status.PREVIEW
    assert (job.analysis["to_load"], job.analysis["skipped"], job.total_rows) == (30, 1, 30)
    # The polled fragment sends the page to the preview.
    polled = client.get(progress, HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == detail
    assert client.get(detail).templates[0].name == "registries/imports/preview.html"
    assert not RegistryEntry.objects.exists()  # nothing before confirmation

    with django_capture_on_commit_callbacks(execute=True):
        services.list_import_confirm(list_import=job, actor=officer)
    job.refresh_from_db()
    assert (job.status, job.inserted) == (ListImport.Status.SUCCEEDED, 30)


def test_a_large_file_that_cannot_be_read_fails_with_its_reason_and_is_not_kept(
    officer, program, django_capture_on_commit_callbacks
):
    officer.language = "en"  # the worker writes the reason in the uploader's language
    officer.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        job = services.list_import_upload(
            actor=officer,
            program=program,
            batch=BATCH,
            upload=SimpleUploadedFile("a.xlsx", corrupt_xlsx()),
        )
    job.refresh_from_db()
    assert job.status == ListImport.Status.FAILED
    assert "damaged" in job.message
    assert not job.file  # the bytes are gone
    assert not RegistryEntry.objects.exists()


def test_a_large_upload_of_the_wrong_kind_is_refused_at_once(officer, program):
    from ecosystem.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as excinfo:
        services.list_import_upload(
            actor=officer,
            program=program,
            batch=BATCH,
            upload=SimpleUploadedFile("a.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 400),
        )
    assert excinfo.value.code == "list_file_type"
    assert not ListImport.objects.exists()


def test_cancelling_while_the_list_is_read_stops_the_reading(
    officer, program, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = services.list_import_upload(
            actor=officer, program=program, batch=BATCH, upload=SimpleUploadedFile("a.csv", _csv(5))
        )
    services.list_import_cancel(list_import=job, actor=officer)
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.status == ListImport.Status.CANCELLED and job.analysis == {}
    assert _csv(5).__len__() > 100  # it was read by the worker, not inline


def test_a_reading_whose_worker_died_is_started_again(
    officer, program, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from ecosystem.registries.stalled import list_imports_requeue_stalled

    with django_capture_on_commit_callbacks(execute=False):  # the worker never runs it
        job = services.list_import_upload(
            actor=officer, program=program, batch=BATCH, upload=SimpleUploadedFile("a.csv", _csv(8))
        )
    assert list_imports_requeue_stalled() == []  # its heartbeat is fresh
    ListImport.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert list_imports_requeue_stalled() == [job.pk]
    job.refresh_from_db()
    assert job.status == ListImport.Status.PREVIEW and job.analysis["to_load"] == 8
