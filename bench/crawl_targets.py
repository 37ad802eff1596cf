"""The objects and URLs of the crawl (``bench/crawl_bench.py``): the national world's
objects the permission matrix's URLs point at, made through the services where a
generated world lacks them, and every GET entry of the matrix with the roles that may
open it."""

from __future__ import annotations

ROLES = ("member", "official", "registry", "rm", "manager", "admin")
BATCH = "2025年第一批"


def focal(info: dict) -> dict:
    """The objects the matrix's URLs point at, in the national world; what a generated
    world lacks is made through the services (the caller rolls it back)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from ecosystem.accounts.models import Invitation, Membership, User
    from ecosystem.accounts.roles import Role
    from ecosystem.chains import services as chain_services
    from ecosystem.chains.models import Chain, ChainNode
    from ecosystem.core.export_jobs.services import export_job_create, export_job_run
    from ecosystem.enterprises.models import Consent, Enterprise, FinancialYear
    from ecosystem.enterprises.services import financing_need_create
    from ecosystem.financing import services as financing
    from ecosystem.financing.models import CampaignInvitation, Lead, Match, Product
    from ecosystem.registries import services as registry_services
    from ecosystem.registries.models import Program, RegistryEntry
    from tests.worlds.registry_files import csv_bytes, rows_for
    from tests.worlds.zone import submit_claim

    people = {role: User.objects.get(pk=pk) for role, pk in info["people"].items()}
    enterprise = Enterprise.objects.get(pk=info["enterprise"])
    member = people["member"]
    lead = Lead.objects.get(enterprise=enterprise, bank_id=info["bank"])
    product = Product.objects.filter(bank_id=info["bank"]).order_by("pk").first()
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
    hte = Program.objects.get(code="hte")
    claim, _ = submit_claim(enterprise=enterprise, program=Program.objects.get(code="tsme"))
    need = financing_need_create(
        enterprise=enterprise,
        actor=member,
        amount=Decimal(2_000_000),
        term_months=12,
        purpose="working_capital",
    )
    campaign = financing.campaign_create(product=product, actor=people["manager"])
    invitation = CampaignInvitation.objects.create(
        campaign=campaign,
        enterprise=enterprise,
        indicative_limit=Decimal(1_000_000),
        expires_at=timezone.now() + timedelta(days=14),
    )
    campaign.status = "sent"
    campaign.sent_at = timezone.now()
    campaign.save(update_fields=["status", "sent_at"])
    list_import = registry_services.list_import_upload(
        actor=people["registry"],
        program=hte,
        batch="2026年第二批",
        upload=SimpleUploadedFile("名单.csv", csv_bytes(rows_for(3))),
    )
    chain = Chain.objects.get(code="ic")
    leader = chain_services.leader_designate(
        chain=chain, enterprise=enterprise, actor=people["official"]
    )
    supplier = Enterprise.objects.filter(zone_id=info["zone"]).exclude(pk=enterprise.pk).first()
    supplier_member = User.objects.create(email="supplier@national.invalid")
    Membership.objects.create(user=supplier_member, enterprise=supplier, role=Role.ENTERPRISE_OWNER)
    link = chain_services.link_request(leader=leader, supplier=supplier, actor=supplier_member)
    staff_invitation = Invitation.objects.create(
        email="new-official@national.invalid",
        role=Role.ZONE_OFFICIAL,
        zone_id=info["zone"],
        invited_by=people["admin"],
        expires_at=timezone.now() + timedelta(days=7),
    )
    year = FinancialYear.objects.filter(enterprise=enterprise).order_by("-year").first()
    # The RM's lead export as a finished export job (written here: the transaction is
    # rolled back, so no task would run after commit).
    export_job = export_job_create(
        owner=people["rm"], kind="financing.leads", fmt="csv", filters={"tab": "mine"}
    )
    export_job_run(job_id=export_job.pk)
    objects = {
        "enterprise": enterprise,
        "claim": claim,
        "evidence": claim.evidence.first(),
        "year": year,
        "lead": lead,
        "offer": lead.offers.first(),
        "match": match,
        "need": need,
        "consent": Consent.objects.filter(
            enterprise=enterprise, bank_id=info["bank"], revoked_at__isnull=True
        ).first(),
        "program": hte,
        "product": product,
        "campaign": campaign,
        "invitation": invitation,
        "import": list_import,
        "own_entry": RegistryEntry.objects.filter(program=hte, uscc=enterprise.uscc).first(),
        "chain": chain,
        "node": ChainNode.objects.filter(chain=chain).order_by("pk").first(),
        "leader": leader,
        "link": link,
        "export_job": export_job,
    }
    values = {"year": year.year, "token": staff_invitation.token}
    return {"people": people, "objects": objects, "values": values}


def targets(made: dict):
    """(name, url, roles) of every GET entry of the matrix, and of every admin page."""
    from tests.worlds.permission_matrix import ADMIN_GROUP, MATRIX
    from tests.worlds.permission_matrix.runner import admin_urls
    from tests.worlds.permission_matrix.world import ARGUMENTS, World

    class National(World):
        """The matrix world's URL building over the national world's objects."""

        def __init__(self, objects: dict, values: dict) -> None:  # noqa: D107
            self.objects = {k: v for k, v in objects.items() if v is not None}
            self.arguments = dict(ARGUMENTS)  # objects it lacks: skipped
            self.values = {
                "fmt": "csv",
                "step": "code",
                "key": "not-a-key",
                "uidb36": "zz",
                **values,
            }
            self.queries = {"batch": {"batch": BATCH}}

    world = National(made["objects"], made["values"])
    out, skipped = [], []
    for name, entry in sorted(MATRIX.items()):
        if entry.unsafe:
            continue
        roles = [role for role in ROLES if entry.expected(role) == 200]
        if not roles:
            continue
        try:
            url = world.url(name, entry)
        except KeyError as missing:
            skipped.append(f"{name} (no {missing})")
            continue
        query = world.queries.get(entry.query, {})
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        out.append((name, url, roles))
    admin_roles = [role for role in ROLES if ADMIN_GROUP.expected(role) == 200]
    out += [(f"admin {url}", url, admin_roles) for url in admin_urls()]
    return out, skipped
