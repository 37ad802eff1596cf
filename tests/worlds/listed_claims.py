"""A firm named on an official list (``registry_files.rows_for``: the same code and name)
with a submitted qualification claim for a program, and its member: the claim a list
import verifies, revokes or expires."""

from django.core.files.uploadedfile import SimpleUploadedFile

from ecosystem.enterprises import services as enterprise_services
from tests.factories import EnterpriseFactory, EnterpriseMemberFactory, make_uscc

PDF = b"%PDF-1.4\n%%EOF\n"


def submitted_claim(uscc: str, program):
    """A submitted claim of the firm the list rows name (``rows_for``: same code, same name)."""
    index = next(n for n in range(50_000, 50_100) if make_uscc(n) == uscc) - 50_000
    enterprise = EnterpriseFactory(uscc=uscc, name=f"测试科技有限公司{index}")
    member = EnterpriseMemberFactory(enterprise=enterprise)
    claim = enterprise_services.claim_create(
        enterprise=enterprise, actor=member, program=program, certificate_number="T1", year=2026
    )
    enterprise_services.evidence_add(
        claim=claim, actor=member, upload=SimpleUploadedFile("c.pdf", PDF)
    )
    return member, enterprise_services.claim_submit(claim=claim, actor=member)
