"""Lists that must be refused are refused with their reason and leave nothing behind; the
run loads exactly what the preview cleaned, and nothing else."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from ecosystem.core.errors import ApplicationError
from ecosystem.registries import services
from ecosystem.registries.models import ListImport, RegistryEntry
from tests.factories import RegistryOfficerFactory, make_uscc
from tests.worlds.list_claims import confirmer, program_with_term, uploader
from tests.worlds.list_shapes import corrupt_xlsx, pdf_pages, scanned_pdf, zip_bomb_xlsx

pytestmark = pytest.mark.django_db
BATCH = "2026年第一批"
A, B, C = (make_uscc(83_000 + i) for i in range(3))


@pytest.fixture
def program():
    return program_with_term("hte")


@pytest.fixture
def officer(program):
    return RegistryOfficerFactory(program=program)


@pytest.fixture
def upload(officer, program):
    return uploader(officer, program, BATCH)


@pytest.fixture
def confirm(officer, django_capture_on_commit_callbacks):
    return confirmer(officer, django_capture_on_commit_callbacks)


def loaded():
    return sorted(RegistryEntry.objects.values_list("uscc", "name", "region"))


# --- bad input: refused with a clear reason, nothing stored, nothing half-loaded ------


class Upload(SimpleUploadedFile):
    """An upload whose declared size is what the browser says (the body is not read)."""

    def __init__(self, name, content, size):
        super().__init__(name, content)
        self.size = size


@pytest.mark.parametrize(
    ("content", "name", "code", "words"),
    [
        (lambda: corrupt_xlsx(), "名单.xlsx", "list_file_damaged", "damaged"),
        (lambda: zip_bomb_xlsx(), "名单.xlsx", "list_zip_bomb", "unpack"),
        (lambda: pdf_pages(500), "名单.pdf", "list_pdf_too_many_pages", "500"),
        (lambda: scanned_pdf(), "扫描件.pdf", "list_pdf_scanned", "scanned"),
        (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "名单.xlsx", "list_file_type", "image"),
    ],
)
def test_bad_files_are_refused_clearly_and_leave_nothing(
    officer, program, settings, tmp_path, content, name, code, words
):
    settings.MEDIA_ROOT = tmp_path
    before = RegistryEntry.objects.count()
    with pytest.raises(ApplicationError) as excinfo, translation.override("en"):
        services.list_import_upload(
            actor=officer, program=program, batch=BATCH, upload=SimpleUploadedFile(name, content())
        )
    assert excinfo.value.code == code, excinfo.value.message
    assert words in excinfo.value.message.lower() or words in excinfo.value.message
    assert not ListImport.objects.exists() and RegistryEntry.objects.count() == before
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # no stored file either


def test_a_50_mb_file_is_refused_before_it_is_read(officer, program):
    upload = Upload("名单.csv", b"", 50 * 2**20)
    with pytest.raises(ApplicationError) as excinfo:
        services.list_import_upload(actor=officer, program=program, batch=BATCH, upload=upload)
    assert excinfo.value.code == "upload_too_large"
    assert "50 MB" in excinfo.value.message and "32 MB" in excinfo.value.message
    assert not ListImport.objects.exists()


def test_a_refused_upload_page_keeps_the_batch_typed(client, officer, program):
    client.force_login(officer)
    response = client.post(
        reverse("registry_import_upload"),
        {
            "program": program.pk,
            "batch": "2026年第二批",
            "file": SimpleUploadedFile("a.xlsx", corrupt_xlsx()),
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["file"] and form["batch"].value() == "2026年第二批"
    assert 'value="2026年第二批"' in response.content.decode()


# --- the preview's cleaning is what the run loads -------------------------------------


def _csv(rows):
    return ("\n".join(["统一社会信用代码,企业名称", *rows]) + "\n").encode()


def test_the_run_loads_what_the_preview_cleaned_and_then_forgets_it(upload, confirm, monkeypatch):
    from ecosystem.registries import analysis

    job = upload(_csv([f"{A},甲公司", f"{B},乙公司"]), "a.csv")
    kept = f"{job.file.name}.cleaned"
    assert job.file.storage.exists(kept) and job.analysis["kept"]

    def no_second_cleaning(*args, **kwargs):
        raise AssertionError("the run cleaned the list again")

    monkeypatch.setattr(analysis, "clean_book", no_second_cleaning)
    confirm(job)
    assert loaded() == [(A, "甲公司", ""), (B, "乙公司", "")]
    assert not job.file.storage.exists(kept)


def test_a_kept_copy_that_is_not_what_was_kept_is_not_used(upload, confirm):
    import pickle

    from ecosystem.registries.columns import ListColumns

    job = upload(_csv([f"{A},甲公司"]), "a.csv")
    storage, kept = job.file.storage, f"{job.file.name}.cleaned"
    forged = ListColumns(codes=[C], names=["冒名公司"], row_numbers=[2])
    storage.delete(kept)
    storage.save(kept, SimpleUploadedFile("x", pickle.dumps(forged)))
    confirm(job)
    assert loaded() == [(A, "甲公司", "")]  # read again from the upload
