"""Evidence and uploaded lists on an S3-compatible object store (``STORAGE_URL=s3://…``).

The store is real S3 protocol (moto's server on loopback, through django-storages and boto3):
files land in the bucket, never in the local folder; they are read back by the
permission-checked views and by the import, stay private, and a refused claim leaves no object.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecosystem.core.errors import ApplicationError
from ecosystem.core.storage import backend
from ecosystem.enterprises import services as enterprise_services
from ecosystem.enterprises.models import Evidence, QualificationClaim
from ecosystem.registries import services as registry_services
from ecosystem.registries.models import ListImport
from portal.settings import private_storage_from_url
from tests.factories import (
    EnterpriseMemberFactory,
    ProgramFactory,
    RegistryOfficerFactory,
    make_uscc,
)
from tests.worlds import object_storage as s3
from tests.worlds.files import PDF_DOCUMENT

pytestmark = pytest.mark.django_db
EXE = b"MZ\x90\x00" + b"\x00" * 64


@pytest.fixture(scope="module")
def endpoint():
    with s3.s3_server() as url:
        s3.client(url).create_bucket(Bucket=s3.BUCKET)
        yield url


@pytest.fixture
def prefix(endpoint, settings):
    """A fresh prefix in the bucket, made the private storage for this test."""
    name = f"t-{uuid.uuid4().hex[:10]}"
    settings.STORAGES = s3.storages_for(endpoint, django_settings.STORAGES, name)
    return name


def local_files() -> list:
    root = django_settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def new_claim(member, uploads):
    return enterprise_services.claim_create(
        enterprise=member.memberships.get().enterprise,
        actor=member,
        program=ProgramFactory(),
        certificate_number="GR202411000123",
        year=2024,
        valid_until=date.today() + timedelta(days=365),
        uploads=uploads,
    )


def test_the_storage_url_chooses_the_backend():
    assert private_storage_from_url("")["BACKEND"].endswith("PrivateFileSystemStorage")
    s3_config = private_storage_from_url(
        "s3://bucket/kejin/files?endpoint_url=http://minio:9000&region_name=cn-east-1"
    )
    assert s3_config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (
        s3_config["OPTIONS"].items()
        >= {
            "bucket_name": "bucket",
            "location": "kejin/files",
            "endpoint_url": "http://minio:9000",
            "region_name": "cn-east-1",
            "default_acl": "private",
            "file_overwrite": False,
        }.items()
    )
    with pytest.raises(ValueError):
        private_storage_from_url("ftp://host/x")


def test_evidence_goes_to_the_bucket_and_comes_back_through_the_checked_view(
    client, endpoint, prefix
):
    member = EnterpriseMemberFactory()
    claim = new_claim(member, [SimpleUploadedFile("证书.pdf", PDF_DOCUMENT)])
    evidence = claim.evidence.get()

    stored = s3.keys(endpoint, prefix)
    assert stored == [f"{prefix}/{evidence.file.name}"]
    assert local_files() == []  # nothing on this host's disk
    assert type(backend()).__name__ == "S3Storage"

    url = reverse(
        "evidence_download",
        kwargs={"pk": claim.enterprise_id, "claim_pk": claim.pk, "evidence_pk": evidence.pk},
    )
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_DOCUMENT
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(EnterpriseMemberFactory())  # another firm learns nothing
    assert client.get(url).status_code == 404

    # Private in the bucket, and no public URL is ever made.
    acl = s3.client(endpoint).get_object_acl(Bucket=s3.BUCKET, Key=stored[0])
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    with pytest.raises(ValueError):
        evidence.file.url


def test_a_refused_claim_leaves_no_object_in_the_bucket(endpoint, prefix):
    member = EnterpriseMemberFactory()
    with pytest.raises(ApplicationError):
        new_claim(
            member,
            [SimpleUploadedFile("a.pdf", PDF_DOCUMENT), SimpleUploadedFile("scan.pdf", EXE)],
        )
    assert not QualificationClaim.objects.exists() and not Evidence.objects.exists()
    assert s3.keys(endpoint, prefix) == []


def test_two_evidence_files_of_one_name_do_not_overwrite_each_other(endpoint, prefix):
    member = EnterpriseMemberFactory()
    first = new_claim(member, [SimpleUploadedFile("a.pdf", PDF_DOCUMENT)]).evidence.get()
    second = new_claim(member, [SimpleUploadedFile("a.pdf", PDF_DOCUMENT + b"%2")]).evidence.get()
    assert first.file.name != second.file.name
    assert len(s3.keys(endpoint, prefix)) == 2
    with second.file.open("rb") as handle:
        assert handle.read().endswith(b"%2")


def test_a_list_uploaded_to_the_bucket_is_read_and_imported_by_the_worker(
    endpoint, prefix, settings, django_capture_on_commit_callbacks
):
    settings.LIST_INLINE_READ_BYTES = 100  # read by the imports task, from the bucket
    program = ProgramFactory()
    officer = RegistryOfficerFactory(program=program)
    rows = "\n".join(f"{make_uscc(91_000 + i)},企业{i}" for i in range(40))
    text = f"统一社会信用代码,企业名称\n{rows}\n"
    upload = SimpleUploadedFile("名单.csv", text.encode("gb18030"))
    with django_capture_on_commit_callbacks(execute=True):
        job = registry_services.list_import_upload(
            actor=officer, program=program, batch="2026年第一批", upload=upload
        )
    job.refresh_from_db()
    assert job.status == ListImport.Status.PREVIEW, job.error_message
    assert f"{prefix}/{job.file.name}" in s3.keys(endpoint, prefix)
    assert local_files() == []

    with django_capture_on_commit_callbacks(execute=True):
        registry_services.list_import_confirm(list_import=job, actor=officer)
    job.refresh_from_db()
    assert (job.status, job.inserted) == (ListImport.Status.SUCCEEDED, 40)


def test_the_export_cleanup_finds_an_orphaned_export_in_the_bucket(endpoint, prefix):
    """The export cleanup lists the bucket (not a local folder): an export a dead worker
    stored but never recorded goes; the job's own file and a run under way stay."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from ecosystem.core.export_jobs.models import ExportJob
    from ecosystem.core.export_jobs.services import export_jobs_cleanup
    from ecosystem.core.storage import private_storage
    from tests.factories import BankManagerFactory

    owner = BankManagerFactory()
    done = ExportJob.objects.create(owner=owner, kind="financing.matches", attempt=2)
    running = ExportJob.objects.create(
        owner=owner, kind="financing.leads", attempt=1, status=ExportJob.Status.RUNNING
    )

    def store(job, attempt):
        name = f"exports/{owner.pk}/{job.pk}-{attempt}-0a1b2c3d.csv"
        return private_storage.save(name, ContentFile(b"a,b\n"))

    orphan, kept, under_way = store(done, 1), store(done, 2), store(running, 1)
    ExportJob.objects.filter(pk=done.pk).update(
        status=ExportJob.Status.DONE, file=kept, expires_at=timezone.now() + timedelta(days=1)
    )
    assert export_jobs_cleanup() == 1
    keys = s3.keys(endpoint, prefix)
    assert f"{prefix}/{orphan}" not in keys
    assert {f"{prefix}/{kept}", f"{prefix}/{under_way}"} <= set(keys)
    assert local_files() == []
