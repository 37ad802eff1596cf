"""The bank dashboard's pipeline: the lead world's bank with five leads at different points
of the pipeline; and a second zone with an old waiting claim and an overdue lead."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.financing import services as pipeline
from ecosystem.financing.models import Lead
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    LeadFactory,
    MatchFactory,
    QualificationClaimFactory,
    ZoneFactory,
)
from tests.worlds.leads import World

S = Lead.Status


class Pipeline(World):
    """The world's bank with five leads at different points of the pipeline."""

    def __init__(self):
        super().__init__()
        self.untouched = self.lead  # new, never answered
        self.declined = self.add_lead()
        self.offer_refused = self.add_lead()
        self.accepted = self.add_lead()
        self.financed = self.add_lead()

        pipeline.lead_claim(lead=self.declined, actor=self.rm)
        pipeline.lead_transition(
            lead=self.declined, to=S.DECLINED, actor=self.rm, reason_code="revenue_too_low"
        )
        offer = self.offer(self.offer_refused, Decimal("300000"))
        pipeline.offer_decline(offer=offer, actor=self.members[self.offer_refused.pk])
        offer = self.offer(self.accepted, Decimal("400000"))
        pipeline.offer_accept(offer=offer, actor=self.members[self.accepted.pk])
        offer = self.offer(self.financed, Decimal("800000"))
        pipeline.offer_accept(offer=offer, actor=self.members[self.financed.pk])
        pipeline.disbursement_record(
            lead=self.financed,
            actor=self.rm,
            amount=Decimal("750000"),
            disbursed_on=timezone.localdate(),
        )

    def add_lead(self, branch=None) -> Lead:
        if not hasattr(self, "members"):
            self.members = {}
        enterprise = EnterpriseFactory(zone=self.enterprise.zone)
        lead = LeadFactory(
            enterprise=enterprise,
            product_version=self.version,
            branch=branch or self.branch,
            due_at=timezone.now() + timedelta(hours=72),
        )
        self.members[lead.pk] = EnterpriseMemberFactory(enterprise=enterprise)
        return lead

    def offer(self, lead: Lead, amount: Decimal):
        pipeline.lead_claim(lead=lead, actor=self.rm)
        pipeline.lead_transition(lead=lead, to=S.CONTACTED, actor=self.rm)
        return pipeline.offer_make(
            lead=lead,
            actor=self.rm,
            amount=amount,
            rate=Decimal("4.5"),
            term_months=12,
            valid_until=timezone.now() + timedelta(days=10),
        )


def second_zone(world: Pipeline):
    """Another zone with two enterprises: one old waiting claim, one overdue lead."""
    zone = ZoneFactory(review_target_days=5)
    waiting, borrower = EnterpriseFactory(zone=zone), EnterpriseFactory(zone=zone)
    QualificationClaimFactory(
        enterprise=waiting,
        certificate_number="GR2026001",
        year=2026,
        status=ClaimStatus.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=30),  # past any 5-working-day target
    )
    LeadFactory(
        enterprise=borrower,
        product_version=world.version,
        branch=world.branch,
        indicative_limit=Decimal("1"),
        due_at=timezone.now() - timedelta(hours=2),
    )
    MatchFactory(
        enterprise=borrower,
        product_version=world.version,
        score=60,
        indicative_limit=Decimal("500000"),
    )
    return zone
