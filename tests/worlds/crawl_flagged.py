"""Rows for the query-count tests of the pages the crawl flagged
(tests/unit/test_crawl_flagged_query_counts.py): each grower adds ``count`` rows of what a
page lists to a ``tests.worlds.leads.World`` (with ``official``, ``registry``,
``program``, ``admin``), written in bulk; ``start`` keeps names and codes apart between
calls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ecosystem.chains.models import Chain, ChainNode, EnterpriseNode, Segment
from ecosystem.enterprises.models import (
    Consent,
    Enterprise,
    FinancingNeed,
    QualificationClaim,
)
from ecosystem.financing import match_totals
from ecosystem.financing.models import Lead, LeadNote, Match, Product, ProductVersion
from ecosystem.registries.models import RegistryEntry
from tests.factories import (
    BranchFactory,
    PlatformAdminFactory,
    RegistryOfficerFactory,
    ZoneOfficialFactory,
)
from tests.worlds.leads import World as LeadWorld

Grower = Callable[..., None]


def _firms(world, count: int, start: int, tag: str) -> list[Enterprise]:
    return Enterprise.objects.bulk_create(
        [
            Enterprise(
                uscc=f"9144{tag}{start + i:012d}X"[:18],
                name=f"增长企业{tag}{start + i}",
                zone_id=world.enterprise.zone_id,
            )
            for i in range(count)
        ]
    )


def _consent(world, firms) -> None:
    Consent.objects.bulk_create(
        [
            Consent(
                enterprise=e,
                bank=world.bank,
                purpose=Consent.Purpose.FINANCING,
                text_version="v1",
                granted_at=timezone.now(),
            )
            for e in firms
        ]
    )


def own_matches(world, count: int, *, start: int) -> None:
    """Products of a bank the enterprise never consented to, each with a current version
    asking for a qualification, and the enterprise matched on each."""
    bank = getattr(world, "_unconsented_bank", None) or BranchFactory().bank
    world._unconsented_bank = bank
    products = Product.objects.bulk_create(
        [
            Product(bank=bank, code=f"grown-{start + i}", name_zh="增长贷", kind="unsecured")
            for i in range(count)
        ]
    )
    versions = ProductVersion.objects.bulk_create(
        [
            ProductVersion(
                product=p,
                number=1,
                amount_min=Decimal("100000"),
                amount_max=Decimal("5000000"),
                term_min_months=6,
                term_max_months=36,
                rate_min=Decimal("3.2"),
                rate_max=Decimal("6.5"),
                programs_any=[world.program.code],
                limit_basis=ProductVersion.LimitBasis.FIXED,
                limit_factor=Decimal("1000000"),
            )
            for p in products
        ]
    )
    Match.objects.bulk_create(
        [
            Match(
                enterprise=world.enterprise,
                product=v.product,
                product_version=v,
                score=60,
                indicative_limit=Decimal(500_000),
                computed_at=timezone.now(),
            )
            for v in versions
        ]
    )
    match_totals.rebuild()  # written past the rematch: the matches page's count and total


def rm_leads(world, count: int, *, start: int) -> list[Enterprise]:
    """Consented leads of new enterprises, assigned to the world's RM (the enterprises)."""
    firms = _firms(world, count, start, "01")
    _consent(world, firms)
    now = timezone.now()
    Lead.objects.bulk_create(
        [
            Lead(
                enterprise=e,
                zone_id=e.zone_id,
                product=world.version.product,
                product_version=world.version,
                bank=world.bank,
                branch=world.branch,
                source=Lead.Source.APPLY,
                status=Lead.Status.ASSIGNED,
                assigned_to=world.rm,
                indicative_limit=Decimal(500_000),
                due_at=now + timedelta(hours=i),
            )
            for i, e in enumerate(firms)
        ]
    )
    return firms


def bank_matches(world, count: int, *, start: int) -> list[Enterprise]:
    """Consented enterprises matched on the world's product (returned)."""
    firms = _firms(world, count, start, "02")
    _consent(world, firms)
    Match.objects.bulk_create(
        [
            Match(
                enterprise=e,
                product=world.version.product,
                product_version=world.version,
                score=60,
                indicative_limit=Decimal(500_000),
                computed_at=timezone.now(),
            )
            for e in firms
        ]
    )
    match_totals.rebuild()  # written past the rematch: the matches page's count and total
    return firms


def _claims(world, firms, status: str) -> None:
    now = timezone.now()
    QualificationClaim.objects.bulk_create(
        [
            QualificationClaim(
                enterprise=e,
                program=world.program,
                certificate_number=f"GR{i:08d}",
                year=2025,
                valid_until=now.date() + timedelta(days=365),
                status=status,
                submitted_at=now - timedelta(days=i % 30),
            )
            for i, e in enumerate(firms)
        ]
    )


def zone_claims(world, count: int, *, start: int) -> None:
    """Claims of new enterprises of the zone, awaiting review."""
    _claims(world, _firms(world, count, start, "03"), "submitted")


def claims(world, count: int, *, start: int) -> None:
    """Verified claims of the world's enterprise (renewals, one a year)."""
    _claims(world, [world.enterprise] * count, "verified")


def needs(world, count: int, *, start: int) -> None:
    FinancingNeed.objects.bulk_create(
        [
            FinancingNeed(
                enterprise=world.enterprise,
                amount=Decimal(1_000_000 + i),
                term_months=12,
                purpose="working_capital",
            )
            for i in range(count)
        ]
    )


def lead_notes(world, count: int, *, start: int) -> None:
    LeadNote.objects.bulk_create(
        [
            LeadNote(lead=world.lead, author=world.rm, body=f"跟进记录{start + i}")
            for i in range(count)
        ]
    )


def entries(world, count: int, *, start: int) -> None:
    """The enterprise's credit code in ``count`` batches of the program's list."""
    RegistryEntry.objects.bulk_create(
        [
            RegistryEntry(
                program=world.program,
                batch=f"第{start + i}批",
                uscc=world.enterprise.uscc,
                name=world.enterprise.name,
                name_key=f"key{start + i}",
            )
            for i in range(count)
        ]
    )


def nodes(world, count: int, *, start: int) -> None:
    """Nodes of a chain, the enterprise placed on each."""
    chain = getattr(world, "_chain", None) or Chain.objects.create(code="grown", name_zh="增长链")
    world._chain = chain
    made = ChainNode.objects.bulk_create(
        [
            ChainNode(
                chain=chain,
                code=f"n{start + i}",
                path=f"grown/n{start + i}",
                name_zh=f"环节{start + i}",
                segment=Segment.MIDSTREAM,
            )
            for i in range(count)
        ]
    )
    EnterpriseNode.objects.bulk_create(
        [EnterpriseNode(enterprise=world.enterprise, node=n) for n in made]
    )


def chain_placements(world, count: int, *, start: int) -> None:
    """Enterprises of the zone, consenting to the world's bank, each placed on a node of the
    reference chain ``ic`` (its coverage, node and overview pages count them), counted in
    the chain view's counters with one sync, as a service's bulk change would be."""
    from ecosystem.financing.coverage_summary import coverage_sync

    chain = Chain.objects.get(code="ic")
    chain_nodes = list(ChainNode.objects.filter(chain=chain).order_by("path"))
    firms = _firms(world, count, start, "ic")
    _consent(world, firms)
    EnterpriseNode.objects.bulk_create(
        [
            EnterpriseNode(enterprise=e, node=chain_nodes[i % len(chain_nodes)])
            for i, e in enumerate(firms)
        ]
    )
    coverage_sync(enterprise_ids=[e.pk for e in firms])


growers: dict[str, Grower] = {
    f.__name__: f
    for f in (
        own_matches,
        rm_leads,
        bank_matches,
        zone_claims,
        claims,
        needs,
        lead_notes,
        entries,
        nodes,
        chain_placements,
    )
}


class World(LeadWorld):
    """The lead pages' world (a bank serving the enterprise's zone, consent, a lead) with
    the zone's official, a registry officer of the ``hte`` list and a platform admin."""

    def __init__(self):
        super().__init__()
        self.official = ZoneOfficialFactory(zone=self.enterprise.zone)
        self.registry = RegistryOfficerFactory(program__code="hte", program__name_zh="高企")
        self.program = self.registry.memberships.get().program
        self.admin = PlatformAdminFactory()


def first_ic_node() -> int:
    """The first node of the integrated-circuit chain (the crawl's ``/chains/ic/nodes/1/``)."""
    from ecosystem.chains.models import ChainNode

    nodes = ChainNode.objects.filter(chain__code="ic").order_by("path")
    return nodes.values_list("pk", flat=True)[0]
