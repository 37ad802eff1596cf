"""The lead walk (``lead_walk.Walk``) plus the enterprises' chain placements and verified
claims: the walk of the chain and ecosystem counters' tests."""

from __future__ import annotations

import random
from decimal import Decimal

from ecosystem.chains.models import ChainNode
from ecosystem.chains.services import placements_set
from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.enterprises.services import claim_transition
from ecosystem.enterprises.workflow import SYSTEM, ClaimStatus
from ecosystem.financing.models import Lead
from ecosystem.financing.services.leads.create import lead_open_or_create
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    QualificationClaimFactory,
    ZoneOfficialFactory,
)
from tests.worlds.lead_walk import Walk


class ChainWalk(Walk):
    """The lead walk, plus the enterprises' chain placements and verified claims."""

    def __init__(self):
        super().__init__()
        self.officials = {zone.pk: ZoneOfficialFactory(zone=zone) for zone in self.zones}
        self.nodes = list(ChainNode.objects.filter(chain__code__in=["ic", "ai"]).order_by("pk"))

    def open(self, rng: random.Random) -> None:
        """As the lead walk's, but a new enterprise is often on a node before its first
        lead, so the lead (and its offer and money) move counters already there."""
        if self.leads and rng.random() < 0.3:  # a second lead of an enterprise
            enterprise = self.enterprise(rng)
        else:
            enterprise = EnterpriseFactory(zone=rng.choice(self.zones))
            self.members[enterprise.pk] = EnterpriseMemberFactory(enterprise=enterprise)
            if rng.random() < 0.7:
                self.place(rng, enterprise, sizes=(1, 2))
        lead, _created = lead_open_or_create(
            enterprise=enterprise,
            version=rng.choice(self.versions),
            limit=Decimal("2000000"),
            source=Lead.Source.APPLY,
            actor=self.members[enterprise.pk],
        )
        self.leads.append(lead)

    def enterprise(self, rng: random.Random) -> Enterprise:
        return Enterprise.objects.get(pk=rng.choice(self.leads).enterprise_id)

    def place(self, rng: random.Random, enterprise=None, sizes=(0, 1, 1, 2, 3)) -> None:
        """Put an enterprise on 0–3 nodes (often a node and one of its ancestors)."""
        enterprise = enterprise or self.enterprise(rng)
        nodes = rng.sample(self.nodes, rng.choice(sizes))
        if nodes and nodes[0].parent_id and rng.random() < 0.5:
            nodes.append(nodes[0].parent)
        actor = self.members[enterprise.pk]
        if rng.random() < 0.3:  # the zone corrects it
            actor = self.officials[enterprise.zone_id]
        placements_set(
            enterprise=enterprise, nodes=list({n.pk: n for n in nodes}.values()), actor=actor
        )

    def verify(self, rng: random.Random) -> None:
        enterprise = self.enterprise(rng)
        claim = QualificationClaimFactory(enterprise=enterprise, status=ClaimStatus.SUBMITTED)
        claim_transition(
            claim=claim, to=ClaimStatus.VERIFIED, actor=self.officials[enterprise.zone_id]
        )

    def expire(self, rng: random.Random) -> None:
        claims = list(QualificationClaim.objects.filter(status=ClaimStatus.VERIFIED))
        if claims:
            claim_transition(claim=rng.choice(claims), to=ClaimStatus.EXPIRED, party=SYSTEM)
