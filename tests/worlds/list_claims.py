"""A firm with a submitted claim of a program, for the list-import tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

from ecosystem.enterprises import services as enterprise_services
from tests.factories import EnterpriseFactory, EnterpriseMemberFactory

PDF = b"%PDF-1.4\n%%EOF\n"


def submitted_claim(uscc: str, program, *, name: str | None = None, zone=None):
    """(member, claim): a firm with ``uscc`` (and ``name``) whose claim of ``program``
    waits for a decision."""
    extra = {"name": name} if name else {}
    if zone is not None:
        extra["zone"] = zone
    enterprise = EnterpriseFactory(uscc=uscc, **extra)
    member = EnterpriseMemberFactory(enterprise=enterprise)
    claim = enterprise_services.claim_create(
        enterprise=enterprise, actor=member, program=program, certificate_number="GR1", year=2026
    )
    enterprise_services.evidence_add(
        claim=claim, actor=member, upload=SimpleUploadedFile("c.pdf", PDF)
    )
    return member, enterprise_services.claim_submit(claim=claim, actor=member)
