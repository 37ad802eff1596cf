"""Financing models: banks and branches, products and versions, matches, leads and
pre-approval campaigns."""

from ecosystem.financing.models.leads import Campaign, CampaignInvitation, Lead
from ecosystem.financing.models.products import (
    Bank,
    Branch,
    Match,
    Product,
    ProductVersion,
    RematchMarker,
)

__all__ = [
    "Bank",
    "Branch",
    "Campaign",
    "CampaignInvitation",
    "Lead",
    "Match",
    "Product",
    "ProductVersion",
    "RematchMarker",
]
