"""A claim with its evidence files is saved whole or not at all: a refused file or a
failure after some files were written leaves no claim, no evidence row and no orphan file
in private storage."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import services
from ecosystem.enterprises.models import Evidence, QualificationClaim
from tests.factories import EnterpriseMemberFactory, ProgramFactory
from tests.worlds.files import PDF_DOCUMENT as PDF

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


def stored_files() -> list:
    root = settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def new_claim(member, uploads):
    return services.claim_create(
        enterprise=member.memberships.get().enterprise,
        actor=member,
        program=ProgramFactory(),
        certificate_number="GR202411000123",
        year=2024,
        valid_until=date.today() + timedelta(days=365),
        uploads=uploads,
    )


def test_claim_with_files_is_saved_with_every_file():
    member = EnterpriseMemberFactory()
    claim = new_claim(member, [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.png", PNG)])
    assert sorted(claim.evidence.values_list("kind", flat=True)) == ["pdf", "png"]
    assert len(stored_files()) == 2


def test_a_disguised_file_refuses_the_whole_claim_and_writes_nothing():
    member = EnterpriseMemberFactory()
    with pytest.raises(ApplicationError):
        new_claim(member, [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("scan.pdf", EXE)])
    assert not QualificationClaim.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_a_failure_after_files_were_written_removes_them():
    member = EnterpriseMemberFactory()
    real = services.claims.audit_record
    calls = {"n": 0}

    def audit_then_fail(**kwargs):
        if kwargs.get("verb") == "evidence.added":
            calls["n"] += 1
            if calls["n"] == 2:  # the second file was already written to storage
                raise RuntimeError("database went away")
        return real(**kwargs)

    with mock.patch.object(services.claims, "audit_record", side_effect=audit_then_fail):
        with pytest.raises(RuntimeError):
            new_claim(member, [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)])
    assert calls["n"] == 2
    assert not QualificationClaim.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_adding_several_files_to_a_claim_is_all_or_nothing():
    member = EnterpriseMemberFactory()
    claim = new_claim(member, [])
    with pytest.raises(ApplicationError):
        services.evidence_add_many(
            claim=claim,
            actor=member,
            uploads=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", EXE)],
        )
    assert claim.evidence.count() == 0 and stored_files() == []
    with pytest.raises(ApplicationError) as refused:
        services.evidence_add_many(
            claim=claim,
            actor=member,
            uploads=[SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(11)],
        )
    assert refused.value.code == "too_many_files"
    assert claim.evidence.count() == 0 and stored_files() == []
