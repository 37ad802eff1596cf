"""Uploads are judged by their content, not their name; limits are enforced."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ecosystem.core.errors import ApplicationError
from ecosystem.core.uploads import check_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.mark.parametrize(("content", "kind"), [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg")])
def test_real_documents_are_accepted_whatever_their_name(content, kind):
    checked = check_upload(SimpleUploadedFile("scan.bin", content))
    assert checked.kind == kind
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "Windows executable"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 20, "Linux executable"),
        (b"#!/bin/sh\nrm -rf /\n", "script"),
        (b"PK\x03\x04" + b"\x00" * 20, "ZIP archive"),
    ],
)
def test_executable_renamed_to_pdf_is_refused_with_what_it_is(content, fragment):
    with pytest.raises(ApplicationError) as excinfo:
        check_upload(SimpleUploadedFile("certificate.pdf", content, content_type="application/pdf"))
    assert excinfo.value.code == "upload_bad_type"
    assert fragment in str(excinfo.value.message)
    assert "certificate.pdf" in str(excinfo.value.message)


def test_text_disguised_as_pdf_is_refused():
    with pytest.raises(ApplicationError) as excinfo:
        check_upload(SimpleUploadedFile("scan.pdf", b"hello, this is not a pdf"))
    assert excinfo.value.code == "upload_bad_type"


def test_oversized_upload_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ApplicationError) as excinfo:
        check_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * 2000))
    assert excinfo.value.code == "upload_too_large"


def test_empty_upload_is_refused():
    with pytest.raises(ApplicationError) as excinfo:
        check_upload(SimpleUploadedFile("empty.pdf", b""))
    assert excinfo.value.code == "upload_empty"


def test_only_the_allowed_kinds_pass():
    with pytest.raises(ApplicationError):
        check_upload(SimpleUploadedFile("x.png", PNG), allowed=("pdf",))
