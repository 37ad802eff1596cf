"""For the list-import tests: a firm with a submitted claim of a program, and an officer's
upload and confirmation of a list."""

from django.core.files.uploadedfile import SimpleUploadedFile

from ecosystem.enterprises import services as enterprise_services
from tests.factories import EnterpriseFactory, EnterpriseMemberFactory

PDF = b"%PDF-1.4\n%%EOF\n"


def submitted_claim(
    uscc: str, program, *, name: str | None = None, zone=None, certificate_number: str = "GR1"
):
    """(member, claim): a firm with ``uscc`` (and ``name``) whose claim of ``program``
    (certificate ``certificate_number``) waits for a decision. A list verifies the claim
    only when its row agrees on the name and, where it has one, the certificate number."""
    extra = {"name": name} if name else {}
    if zone is not None:
        extra["zone"] = zone
    enterprise = EnterpriseFactory(uscc=uscc, **extra)
    member = EnterpriseMemberFactory(enterprise=enterprise)
    claim = enterprise_services.claim_create(
        enterprise=enterprise,
        actor=member,
        program=program,
        certificate_number=certificate_number,
        year=2026,
    )
    enterprise_services.evidence_add(
        claim=claim, actor=member, upload=SimpleUploadedFile("c.pdf", PDF)
    )
    return member, enterprise_services.claim_submit(claim=claim, actor=member)


def listed_firm_claim(uscc: str, program):
    """(member, claim): :func:`submitted_claim` of the firm ``registry_files.rows_for``
    lists under ``uscc`` (the same code and name)."""
    from tests.factories import make_uscc

    index = next(n for n in range(50_000, 50_100) if make_uscc(n) == uscc) - 50_000
    return submitted_claim(uscc, program, name=f"测试科技有限公司{index}")


def uploader(officer, program, batch: str):
    """``upload(content, name)``: the officer uploads a list of the program's batch."""
    from ecosystem.registries import services

    def upload(content: bytes, name: str):
        return services.list_import_upload(
            actor=officer, program=program, batch=batch, upload=SimpleUploadedFile(name, content)
        )

    return upload


def confirmer(officer, capture):
    """``confirm(job)``: the officer confirms; the import runs; it must succeed."""
    from ecosystem.registries import services
    from ecosystem.registries.models import ListImport

    def confirm(job):
        with capture(execute=True):
            services.list_import_confirm(list_import=job, actor=officer)
        job.refresh_from_db()
        assert job.status == ListImport.Status.SUCCEEDED, job.message
        return job

    return confirm


def program_with_term(code: str, years: int = 3):
    """The program ``code`` with a listing term of ``years`` (the reference programs exist
    already on a migrated database, where the factory only fetches them)."""
    from tests.factories import ProgramFactory

    program = ProgramFactory(code=code)
    program.term_years = years
    program.save(update_fields=["term_years"])
    return program
