"""The crawl's focal objects (``bench/crawl_bench.py``): the objects the permission
matrix's URLs point at in the national world, made through the services where a generated
world lacks them, **committed once and reused**.

The crawl measures each page in a transaction of its own, rolled back after it, so the
objects its URLs point at must exist outside those transactions. They are made the first
time a crawl runs on a world, in one transaction that commits (all of them or none; its
after-commit work runs then, as after any request: the firm's rematch, notifications), and
found again by what they are on every later run (an email address, a batch name, an owner
and a kind…), so a crawl run again and again on the same world makes nothing twice. What
is found, not made: the world's first enterprise, its lead with the big bank and its
offer, its latest figures and consent. What is made once: a claim with evidence
(``tsme``), a financing need, a campaign of the big bank's first product with an
invitation to the firm (``sent``), a pending list import of the ``hte`` list (batch
``CRAWL_BATCH``), the firm as leader of the ``ic`` chain with a supplier link requested by
a firm of its zone (whose owner is ``SUPPLIER``), a staff invitation
(``STAFF_INVITATION``), the relationship manager's export of his leads (a finished export
job) and, when the world has none, a match of the firm with that product.

Every run, before the crawl (``refresh``): the expiry dates move on (the invitations', the
export's), so a page never finds them expired; and the three files (the evidence, the
uploaded list, the export) are written again into this run's media folder, which is new
at every run: the evidence and the list as the services first stored them, the export by
running it again in a transaction rolled back (its access-log entries go with it).

The world's record (``bench_world``: its version and size, what ``--keep`` compares) is
not touched: the counts it holds are the build's (the focal objects add one claim, one
chain leader, one supplier link… to them) and nothing compares them with the tables.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

#: The batch of the pending list import the crawl's registry pages open.
CRAWL_BATCH = "2026年第二批"
#: The owner of the supplier firm that asks to join the focal firm's chain.
SUPPLIER = "supplier@national.invalid"
#: The certificate number of the focal claim (``tsme``), by which it is found again.
CERTIFICATE = "GR202511000123"
#: The staff invitation whose acceptance page the crawl opens.
STAFF_INVITATION = "new-official@national.invalid"
INVITATION_DAYS = 14
STAFF_INVITATION_DAYS = 7
EXPORT_FILTERS = {"tab": "mine"}


def focal(info: dict) -> dict:
    """The focal objects of the world recorded as ``info`` (found, or made and
    committed), refreshed for this run: ``{"people", "objects", "values"}``."""
    from django.db import transaction

    with transaction.atomic():
        find_or_make(info)
    # Found again after the commit, as a later run finds them: the work done after it
    # (the firm's rematch) may have replaced the firm's match.
    with transaction.atomic():
        made = find_or_make(info)
    refresh(made)
    return made


def find_or_make(info: dict) -> dict:
    """Each focal object found by what it is, or made through the services."""
    from ecosystem.accounts.models import User
    from ecosystem.chains.models import Chain, ChainNode
    from ecosystem.enterprises.models import Consent, Enterprise, FinancialYear
    from ecosystem.financing.models import Lead, Product
    from ecosystem.registries.models import Program, RegistryEntry

    people = {role: User.objects.get(pk=pk) for role, pk in info["people"].items()}
    enterprise = Enterprise.objects.get(pk=info["enterprise"])
    lead = Lead.objects.get(enterprise=enterprise, bank_id=info["bank"])
    product = Product.objects.filter(bank_id=info["bank"]).order_by("pk").first()
    hte = Program.objects.get(code="hte")
    chain = Chain.objects.get(code="ic")
    claim = _claim(enterprise, people["member"])
    campaign, invitation = _campaign(product, enterprise, people["manager"])
    leader = _leader(chain, enterprise, people["official"])
    staff_invitation = _staff_invitation(info["zone"], people["admin"])
    year = FinancialYear.objects.filter(enterprise=enterprise).order_by("-year").first()
    objects = {
        "enterprise": enterprise,
        "claim": claim,
        "evidence": claim.evidence.order_by("pk").first(),
        "year": year,
        "lead": lead,
        "offer": lead.offers.first(),
        "match": _match(enterprise, product),
        "need": _need(enterprise, people["member"]),
        "consent": Consent.objects.filter(
            enterprise=enterprise, bank_id=info["bank"], revoked_at__isnull=True
        ).first(),
        "program": hte,
        "product": product,
        "campaign": campaign,
        "invitation": invitation,
        "import": _list_import(hte, people["registry"]),
        "own_entry": RegistryEntry.objects.filter(program=hte, uscc=enterprise.uscc).first(),
        "chain": chain,
        "node": ChainNode.objects.filter(chain=chain).order_by("pk").first(),
        "leader": leader,
        "link": _link(leader, info["zone"]),
        "export_job": _export_job(people["rm"]),
    }
    values = {"year": year.year, "token": staff_invitation.token}
    return {
        "people": people,
        "objects": objects,
        "values": values,
        "staff_invitation": staff_invitation,
    }


def _match(enterprise, product):
    from django.utils import timezone

    from ecosystem.financing.models import Match

    version = product.current_version
    match = Match.objects.filter(enterprise=enterprise, product_version=version).first()
    if match is None:
        match = Match.objects.create(
            enterprise=enterprise,
            product_version=version,
            product=product,
            score=60,
            indicative_limit=Decimal(1_000_000),
            computed_at=timezone.now(),
        )
    return match


def _claim(enterprise, member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ecosystem.enterprises import services as es
    from ecosystem.enterprises.models import QualificationClaim
    from ecosystem.registries.models import Program
    from tests.worlds.files import PDF

    tsme = Program.objects.get(code="tsme")
    found = QualificationClaim.objects.filter(
        enterprise=enterprise, program=tsme, certificate_number=CERTIFICATE
    )
    claim = found.order_by("pk").first()
    if claim is None:  # drafted, given evidence and submitted, as the firm would
        claim = es.claim_create(
            enterprise=enterprise,
            actor=member,
            program=tsme,
            certificate_number=CERTIFICATE,
            year=2025,
        )
        es.evidence_add(claim=claim, actor=member, upload=SimpleUploadedFile("c.pdf", PDF))
        claim = es.claim_submit(claim=claim, actor=member)
    return claim


def _need(enterprise, member):
    from ecosystem.enterprises.models import FinancingNeed
    from ecosystem.enterprises.services import financing_need_create

    wanted = {"amount": Decimal(2_000_000), "term_months": 12, "purpose": "working_capital"}
    need = FinancingNeed.objects.filter(enterprise=enterprise, **wanted).order_by("pk").first()
    return need or financing_need_create(enterprise=enterprise, actor=member, **wanted)


def _campaign(product, enterprise, manager):
    from django.utils import timezone

    from ecosystem.financing import services as financing
    from ecosystem.financing.models import Campaign, CampaignInvitation

    campaign = (
        Campaign.objects.filter(product_version__product=product, created_by=manager)
        .order_by("pk")
        .first()
    )
    if campaign is None:
        campaign = financing.campaign_create(product=product, actor=manager)
    invitation = CampaignInvitation.objects.filter(campaign=campaign, enterprise=enterprise).first()
    if invitation is None:
        invitation = CampaignInvitation.objects.create(
            campaign=campaign,
            enterprise=enterprise,
            indicative_limit=Decimal(1_000_000),
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        campaign.status = "sent"
        campaign.sent_at = timezone.now()
        campaign.save(update_fields=["status", "sent_at"])
    return campaign, invitation


def _list_import(program, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ecosystem.registries import services as registry_services
    from ecosystem.registries.models import ListImport
    from tests.worlds.registry_files import csv_bytes, rows_for

    found = ListImport.objects.filter(program=program, batch=CRAWL_BATCH, uploaded_by=officer)
    return found.order_by("pk").first() or registry_services.list_import_upload(
        actor=officer,
        program=program,
        batch=CRAWL_BATCH,
        upload=SimpleUploadedFile("名单.csv", csv_bytes(rows_for(3))),
    )


def _leader(chain, enterprise, official):
    from ecosystem.chains import services as chain_services
    from ecosystem.chains.models import ChainLeader

    found = ChainLeader.objects.filter(chain=chain, enterprise=enterprise, ended_at__isnull=True)
    return found.first() or chain_services.leader_designate(
        chain=chain, enterprise=enterprise, actor=official
    )


def _link(leader, zone_id: int):
    from ecosystem.accounts.models import Membership, User
    from ecosystem.accounts.roles import Role
    from ecosystem.chains import services as chain_services
    from ecosystem.chains.models import SupplierLink
    from ecosystem.enterprises.models import Enterprise

    member = User.objects.filter(email=SUPPLIER).first()
    if member is None:
        member = User.objects.create(email=SUPPLIER)
        supplier = (
            Enterprise.objects.filter(zone_id=zone_id)
            .exclude(pk=leader.enterprise_id)
            .order_by("pk")
            .first()
        )
        Membership.objects.create(user=member, enterprise=supplier, role=Role.ENTERPRISE_OWNER)
    supplier = member.memberships.get().enterprise
    link = SupplierLink.objects.filter(leader=leader, supplier=supplier).first()
    return link or chain_services.link_request(leader=leader, supplier=supplier, actor=member)


def _staff_invitation(zone_id: int, admin):
    from django.utils import timezone

    from ecosystem.accounts.models import Invitation
    from ecosystem.accounts.roles import Role

    invitation = Invitation.objects.filter(email=STAFF_INVITATION).order_by("pk").first()
    return invitation or Invitation.objects.create(
        email=STAFF_INVITATION,
        role=Role.ZONE_OFFICIAL,
        zone_id=zone_id,
        invited_by=admin,
        expires_at=timezone.now() + timedelta(days=STAFF_INVITATION_DAYS),
    )


def _export_job(rm):
    from ecosystem.core.export_jobs.models import ExportJob
    from ecosystem.core.export_jobs.services import export_job_create, export_job_run

    found = ExportJob.objects.filter(
        owner=rm, kind="financing.leads", fmt="csv", filters=EXPORT_FILTERS
    )
    job = found.order_by("pk").first()
    if job is None:
        job = export_job_create(owner=rm, kind="financing.leads", fmt="csv", filters=EXPORT_FILTERS)
        export_job_run(job_id=job.pk)  # here: its worker would run it only after commit
        job.refresh_from_db()
    return job


def refresh(made: dict) -> None:
    """Expiry dates moved on (committed: a page must not find them expired) and the
    focal files written into this run's media folder."""
    from django.utils import timezone

    from ecosystem.core.export_jobs.services import KEEP

    objects, now = made["objects"], timezone.now()
    for obj, expires_at in (
        (objects["invitation"], now + timedelta(days=INVITATION_DAYS)),
        (made["staff_invitation"], now + timedelta(days=STAFF_INVITATION_DAYS)),
        (objects["export_job"], now + KEEP),
    ):
        obj.expires_at = expires_at
        obj.save(update_fields=["expires_at"])
    files_restore(made)


def files_restore(made: dict) -> None:
    """The evidence, the uploaded list and the export file, where their rows say they
    are, unless there already."""
    from tests.worlds.files import PDF
    from tests.worlds.registry_files import csv_bytes, rows_for

    objects = made["objects"]
    _write(objects["evidence"].file, PDF)
    _write(objects["import"].file, csv_bytes(rows_for(3)))
    job = objects["export_job"]
    if job.file and not job.file.storage.exists(job.file.name):
        content, rows = _export_again(job)
        _write(job.file, content)
        job.size, job.rows_done = len(content), rows
        job.save(update_fields=["size", "rows_done"])


def _write(field_file, content: bytes) -> None:
    from django.core.files.base import ContentFile

    storage, name = field_file.storage, field_file.name
    if storage.exists(name):
        return
    stored = storage.save(name, ContentFile(content))
    assert stored == name, (stored, name)  # noqa: S101 - a new media folder has no other


def _export_again(job) -> tuple[bytes, int]:
    """The export of ``job`` written again by the service: (its content, its rows). In a
    transaction (or savepoint) rolled back, so the run's own rows (a job, its access-log
    entries) go."""
    from django.db import transaction

    from ecosystem.core.export_jobs.models import ExportJob
    from ecosystem.core.export_jobs.services import export_job_run

    with transaction.atomic():
        again = ExportJob.objects.create(
            owner=job.owner, kind=job.kind, fmt=job.fmt, filters=job.filters, language=job.language
        )
        again = export_job_run(job_id=again.pk)
        with again.file.open("rb") as handle:
            content = handle.read()
        again.file.storage.delete(again.file.name)
        transaction.set_rollback(True)
    return content, again.rows_done
