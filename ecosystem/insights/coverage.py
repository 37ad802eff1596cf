"""Coverage figures: where along a chain enterprises are verified, matched, worked as
leads and financed, and the platform's technology–industry–finance funnel.

Every figure is a count of distinct enterprises (or a sum of yuan) that a test can
recompute with plain queries. A node's figures cover the node and every node under it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Sum,
)
from django.utils import timezone

from ecosystem.chains.models import Chain, ChainNode, EnterpriseNode
from ecosystem.financing.models import OFFERED_STATUSES

FUNNEL_STEPS = ("registered", "verified", "matched", "lead", "offer", "disbursed")
ZERO = Decimal("0.00")


@dataclass
class Flags:
    """How far one enterprise got."""

    verified: bool = False
    matched: bool = False
    lead: bool = False
    offer: bool = False
    disbursed: bool = False
    offered: Decimal = ZERO
    financed: Decimal = ZERO


def enterprise_flags(*, enterprise_ids, bank_ids: list[int] | None) -> dict[int, Flags]:
    """Funnel flags of the given enterprises (a list or a values queryset). Leads, offers,
    matches and money count only ``bank_ids`` (every bank when None)."""
    from ecosystem.enterprises.models import QualificationClaim
    from ecosystem.financing.models import Disbursement, Lead, Match, Offer

    flags: dict[int, Flags] = defaultdict(Flags)

    def bank_scoped(queryset, path: str):
        return queryset if bank_ids is None else queryset.filter(**{f"{path}__in": bank_ids})

    for pk in (
        QualificationClaim.objects.filter(enterprise_id__in=enterprise_ids, status="verified")
        .values_list("enterprise_id", flat=True)
        .distinct()
    ):
        flags[pk].verified = True
    matches = bank_scoped(
        Match.objects.filter(enterprise_id__in=enterprise_ids), "product__bank_id"
    )
    for pk in matches.values_list("enterprise_id", flat=True).distinct():
        flags[pk].matched = True
    leads = bank_scoped(Lead.objects.filter(enterprise_id__in=enterprise_ids), "bank_id")
    for pk in leads.values_list("enterprise_id", flat=True).distinct():
        flags[pk].lead = True
    offers = bank_scoped(
        Offer.objects.filter(lead__enterprise_id__in=enterprise_ids), "lead__bank_id"
    )
    for pk in offers.values_list("lead__enterprise_id", flat=True).distinct():
        flags[pk].offer = True
    for row in (
        offers.filter(status__in=OFFERED_STATUSES)
        .values("lead__enterprise_id")
        .annotate(total=Sum("amount"))
    ):
        flags[row["lead__enterprise_id"]].offered = row["total"] or ZERO
    disbursements = bank_scoped(
        Disbursement.objects.filter(lead__enterprise_id__in=enterprise_ids), "lead__bank_id"
    )
    for row in disbursements.values("lead__enterprise_id").annotate(total=Sum("amount")):
        entry = flags[row["lead__enterprise_id"]]
        entry.disbursed = True
        entry.financed = row["total"] or ZERO
    return flags


@dataclass
class NodeCoverage:
    node: ChainNode | None
    depth: int = 0
    enterprise_ids: set[int] = field(default_factory=set)
    enterprises: int = 0
    verified: int = 0
    matched: int = 0
    leads: int = 0
    financed: Decimal = ZERO

    @property
    def gap(self) -> bool:
        """Enterprises sit here but no money has reached any of them."""
        return self.enterprises > 0 and self.financed == 0


def _count(coverage: NodeCoverage, flags: dict[int, Flags]) -> NodeCoverage:
    ids = coverage.enterprise_ids
    coverage.enterprises = len(ids)
    coverage.verified = sum(1 for pk in ids if flags[pk].verified)
    coverage.matched = sum(1 for pk in ids if flags[pk].matched)
    coverage.leads = sum(1 for pk in ids if flags[pk].lead)
    coverage.financed = sum((flags[pk].financed for pk in ids), ZERO)
    return coverage


def chain_coverage_recount(
    *, chain: Chain, zones, bank_ids: list[int] | None
) -> tuple[list[NodeCoverage], NodeCoverage]:
    """Per node of ``chain`` (in tree order) and for the whole chain: enterprises of
    ``zones`` on or under the node, and how many are verified, matched, leads, and the
    yuan disbursed to them. The reference: every placement of the chain and its
    enterprises' flags read into Python; the pages read ``chain_figures.chain_coverage``
    (the same figures in one statement), the tests compare the two."""
    nodes = list(ChainNode.objects.filter(chain=chain).order_by("path"))
    placements = list(
        EnterpriseNode.objects.filter(node__chain=chain, enterprise__zone__in=zones).values_list(
            "enterprise_id", "node__path"
        )
    )
    ids = {pk for pk, _path in placements}
    flags = enterprise_flags(enterprise_ids=list(ids), bank_ids=bank_ids)
    rows = []
    for node in nodes:
        prefix = node.path + "/"
        covered = {pk for pk, path in placements if path == node.path or path.startswith(prefix)}
        rows.append(
            _count(
                NodeCoverage(node, depth=node.path.count("/") - 1, enterprise_ids=covered), flags
            )
        )
    return rows, _count(NodeCoverage(None, enterprise_ids=ids), flags)


# --- the platform funnel ------------------------------------------------------------


@dataclass
class FunnelRow:
    key: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FUNNEL_STEPS, 0))
    offered: Decimal = ZERO
    financed: Decimal = ZERO

    def add(self, entry: Flags) -> None:
        self.counts["registered"] += 1
        for step in FUNNEL_STEPS[1:]:
            self.counts[step] += int(getattr(entry, step))
        self.offered += entry.offered
        self.financed += entry.financed


def _add(row: FunnelRow, cell: tuple) -> None:
    """Add a cell of ``funnel_cells`` (the six counts, yuan offered, yuan disbursed)."""
    for step, value in zip(FUNNEL_STEPS, cell, strict=False):
        row.counts[step] += value
    row.offered += cell[6] or ZERO
    row.financed += cell[7] or ZERO


def ecosystem_funnel(*, zones, today=None) -> dict[str, list[FunnelRow]]:
    """The funnel of every enterprise of ``zones``: in total, by zone, by chain (an
    enterprise counts once per chain it sits on) and by lifecycle stage (declared basis,
    on ``today``).

    Read from counters (``funnel_cells``): the cells per zone and stage (the zone, stage
    and total tables are their sums) and the chain view's counters per chain; a few
    queries whatever the number of enterprises."""
    from ecosystem.enterprises.lifecycle import LifecycleStage
    from ecosystem.insights.funnel_cells import funnel_cells
    from ecosystem.zones.models import Zone

    today = today or timezone.localdate()
    chosen = list(zones.order_by("code"))
    codes = {zone.pk: zone.code for zone in chosen}
    everywhere = len(chosen) == Zone.objects.count()
    zone_ids = None if everywhere else list(codes)
    chains = {c.pk: FunnelRow(c.code, c.name) for c in Chain.objects.all()}
    rows = {
        "total": {"total": FunnelRow("total", "")},
        "zones": {z.code: FunnelRow(z.code, z.name) for z in chosen},
        "chains": {row.key: row for row in chains.values()},
        "stages": {s.value: FunnelRow(s.value, str(s.label)) for s in LifecycleStage},
    }
    if chosen:
        by_zone_stage, by_chain = funnel_cells(zone_ids=zone_ids, today=today)
        for (zone_id, stage), cell in by_zone_stage.items():
            _add(rows["total"]["total"], cell)
            _add(rows["zones"][codes[zone_id]], cell)
            _add(rows["stages"][stage], cell)
        for (chain_id,), cell in by_chain.items():
            _add(chains[chain_id], cell)
    return {by: list(keyed.values()) for by, keyed in rows.items()}
