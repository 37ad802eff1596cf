"""Financing models: banks and branches, products and versions, matches, leads and
pre-approval campaigns;
offers, disbursements and the lead timeline."""

from ecosystem.financing.models.coverage import (
    ChainCoverage,
    ChainCoverageMember,
    EcosystemCell,
    EcosystemMember,
)
from ecosystem.financing.models.leads import Campaign, CampaignInvitation, Lead
from ecosystem.financing.models.offers import OFFERED_STATUSES, Disbursement, LeadNote, Offer
from ecosystem.financing.models.products import (
    Bank,
    Branch,
    Match,
    Product,
    ProductVersion,
    RematchMarker,
)
from ecosystem.financing.models.summary import (
    ChainLeadDuration,
    ChainLeadSummary,
    EnterpriseFinancing,
    LeadDuration,
    LeadDurationRollup,
    LeadSummary,
    ProductMatchTotal,
    ZoneFinancing,
)

__all__ = [
    "OFFERED_STATUSES",
    "Bank",
    "Branch",
    "Campaign",
    "ChainLeadDuration",
    "ChainLeadSummary",
    "ChainCoverage",
    "ChainCoverageMember",
    "CampaignInvitation",
    "Disbursement",
    "EcosystemCell",
    "EcosystemMember",
    "Lead",
    "LeadDuration",
    "LeadDurationRollup",
    "LeadNote",
    "LeadSummary",
    "EnterpriseFinancing",
    "ZoneFinancing",
    "Match",
    "Offer",
    "Product",
    "ProductMatchTotal",
    "ProductVersion",
    "RematchMarker",
]
