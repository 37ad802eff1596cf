"""The lead walk: two banks, branches, products, staff and enterprises, and a random step
through every service that moves a lead (and re-places its enterprise on chain nodes),
under a clock the walk moves forward. Shared by the lead summary's and the chain coverage
counters' random-walk tests."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ecosystem.chains.models import ChainNode
from ecosystem.chains.services import placements_set
from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.models import Enterprise
from ecosystem.enterprises.services import enterprise_update
from ecosystem.financing import services
from ecosystem.financing.eligibility.matcher import rematch
from ecosystem.financing.models import Lead, Offer, Product
from ecosystem.financing.services.leads.create import lead_open_or_create
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProductVersionFactory,
    ZoneFactory,
)

S = Lead.Status


class Clock:
    """``timezone.now`` that the walk moves forward by random steps."""

    def __init__(self, monkeypatch):
        self.now = timezone.now() - timedelta(days=60)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, rng: random.Random) -> None:
        self.now += timedelta(minutes=rng.choice((7, 45, 130, 600, 1500, 4000)))


class Walk:
    """Two banks; the first with two branches each serving one of two zones, two
    products (one allowing a direct offer); staff and enterprise members."""

    def __init__(self):
        self.zones = [ZoneFactory(), ZoneFactory()]
        self.branches = [BranchFactory(zones=[self.zones[0]])]
        bank = self.branches[0].bank
        self.branches.append(BranchFactory(bank=bank, zones=[self.zones[1]]))
        other = BranchFactory(zones=self.zones)
        self.branches.append(other)
        self.versions = [
            ProductVersionFactory(product__bank=bank, product__code="w-a"),
            ProductVersionFactory(
                product__bank=bank, product__code="w-b", allows_direct_offer=True
            ),
            ProductVersionFactory(product__bank=other.bank, product__code="w-c"),
        ]
        self.rms = {
            b.pk: [BankStaffFactory(branch=b), BankStaffFactory(branch=b)] for b in self.branches
        }
        self.managers = {
            bank.pk: BankManagerFactory(bank=bank),
            other.bank_id: BankManagerFactory(bank=other.bank),
        }
        self.members = {}
        self.leads: list[Lead] = []
        # Two nodes on each of two chains: an enterprise may sit on none, one chain, two
        # nodes of one chain (it counts once there) or both chains.
        chains = sorted({n.chain_id for n in ChainNode.objects.all()})[:2]
        self.nodes = [
            node
            for chain_id in chains
            for node in ChainNode.objects.filter(chain_id=chain_id).order_by("path")[:2]
        ]
        assert len(self.nodes) == 4

    def move_nodes(self, rng: random.Random, lead: Lead, member) -> None:
        """The enterprise's members put it on other chain nodes (its leads' chain figures
        follow)."""
        enterprise = Enterprise.objects.get(pk=lead.enterprise_id)
        chosen = rng.sample(self.nodes, rng.choice((0, 1, 2, 2, 3)))
        placements_set(enterprise=enterprise, nodes=chosen, actor=member)

    def open(self, rng: random.Random) -> None:
        if self.leads and rng.random() < 0.3:  # a second lead of an enterprise
            enterprise = Enterprise.objects.get(pk=rng.choice(self.leads).enterprise_id)
        else:
            enterprise = EnterpriseFactory(zone=rng.choice(self.zones))
            self.members[enterprise.pk] = EnterpriseMemberFactory(enterprise=enterprise)
        lead, _created = lead_open_or_create(
            enterprise=enterprise,
            version=rng.choice(self.versions),
            limit=Decimal("2000000"),
            source=Lead.Source.APPLY,
            actor=self.members[enterprise.pk],
        )
        self.leads.append(lead)

    def open_in(self, zone, version=None) -> Lead:
        """A lead of a new enterprise of ``zone`` (its clocks just started)."""
        enterprise = EnterpriseFactory(zone=zone)
        self.members[enterprise.pk] = EnterpriseMemberFactory(enterprise=enterprise)
        lead, _created = lead_open_or_create(
            enterprise=enterprise,
            version=version or self.versions[0],
            limit=Decimal("2000000"),
            source=Lead.Source.APPLY,
            actor=self.members[enterprise.pk],
        )
        self.leads.append(lead)
        return lead

    def move_zone(self, lead: Lead, member) -> None:
        """The enterprise moves to the other zone (its leads' figures follow)."""
        enterprise = Enterprise.objects.get(pk=lead.enterprise_id)
        zone = next(z for z in self.zones if z.pk != enterprise.zone_id)
        enterprise_update(
            enterprise=enterprise, actor=member, expected_version=enterprise.version, zone=zone
        )

    def finance(self, rng: random.Random, now, *, disburse: bool) -> None:
        """Open a lead (perhaps a second one of an enterprise) and take it to an offer,
        accepted and disbursed when ``disburse``: the walk's stale expiry rarely lets one
        get that far."""
        self.open(rng)
        lead = self.leads[-1]
        rm = self.rms[lead.branch_id][0]
        services.lead_claim(lead=lead, actor=rm)
        services.lead_transition(lead=lead, to=S.CONTACTED, actor=rm)
        offer = services.offer_make(
            lead=lead,
            actor=rm,
            amount=Decimal("600000"),
            rate=Decimal("4.0"),
            term_months=12,
            valid_until=now + timedelta(days=10),
        )
        if disburse:
            services.offer_accept(offer=offer, actor=self.members[lead.enterprise_id])
            services.disbursement_record(
                lead=lead, actor=rm, amount=Decimal("600000"), disbursed_on=timezone.localdate(now)
            )

    def rematch(self, rng: random.Random, lead: Lead) -> None:
        """A rematch of one enterprise, a range or everything; sometimes with one product
        switched off for it, so its matches go (and come back at a later rematch)."""
        scope = rng.choice(
            ({"enterprise_ids": [lead.enterprise_id]}, {"id_range": (0, lead.enterprise_id)}, {})
        )
        product = self.versions[2].product_id
        if rng.random() < 0.4:
            Product.objects.filter(pk=product).update(is_active=False)
            rematch(product_ids=[product], **scope)
            Product.objects.filter(pk=product).update(is_active=True)
        else:
            rematch(**scope)

    def step(self, rng: random.Random, lead: Lead, now) -> None:
        lead.refresh_from_db()
        rm = rng.choice(self.rms[lead.branch_id])
        member = self.members[lead.enterprise_id]
        offer = lead.offers.filter(status=Offer.Status.MADE).first()
        action = rng.choice(
            (
                lambda: services.lead_claim(lead=lead, actor=rm),
                lambda: services.lead_assign(
                    lead=lead, actor=self.managers[lead.bank_id], assignee=rm
                ),
                lambda: services.lead_note_add(lead=lead, actor=rm, body="called", contact=True),
                lambda: services.lead_transition(
                    lead=lead, to=S.CONTACTED, actor=lead.assigned_to or rm
                ),
                lambda: services.offer_make(
                    lead=lead,
                    actor=lead.assigned_to or rm,
                    amount=Decimal(rng.choice((300000, 450000.5, 800000))),
                    rate=Decimal("4.0"),
                    term_months=12,
                    valid_until=now + timedelta(days=rng.choice((1, 10))),
                ),
                lambda: offer and services.offer_accept(offer=offer, actor=member),
                lambda: offer and services.offer_decline(offer=offer, actor=member),
                lambda: services.disbursement_record(
                    lead=lead,
                    actor=lead.assigned_to or rm,
                    amount=Decimal("123456.78"),
                    disbursed_on=timezone.localdate(now),
                ),
                lambda: services.lead_transition(
                    lead=lead,
                    to=S.DECLINED,
                    actor=lead.assigned_to or self.managers[lead.bank_id],
                    reason_code="outside_policy",
                ),
                lambda: services.lead_transition(lead=lead, to=S.WITHDRAWN, actor=member),
                lambda: services.offers_expire(now=now),
                lambda: self.move_zone(lead, member),
                lambda: self.move_nodes(rng, lead, member),
                lambda: self.move_nodes(rng, lead, member),
                lambda: services.leads_expire_stale(now=now, days=5),
                lambda: self.rematch(rng, lead),
            )
        )
        try:
            action()
        except ApplicationError:
            pass  # a refused move changes nothing; the recount below checks that too
