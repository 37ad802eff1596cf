"""Financing pages. Views parse input and call services and selectors; objects are
fetched only through querysets scoped to the user, so anything else is a 404."""

from ecosystem.financing.views.campaigns import (
    campaign_create,
    campaign_detail,
    campaign_list,
    campaign_send,
)
from ecosystem.financing.views.enterprise import (
    enterprise_matches,
    figures_verification_ask,
    invitation_accept,
    invitation_decline,
    invitation_list,
    match_apply,
)
from ecosystem.financing.views.enterprise_leads import (
    enterprise_leads,
    enterprise_offer_accept,
    enterprise_offer_confirm,
    enterprise_offer_decline,
)
from ecosystem.financing.views.lead_inbox import lead_export, lead_inbox
from ecosystem.financing.views.leads import (
    lead_assign,
    lead_claim,
    lead_detail,
    lead_disburse,
    lead_move,
    lead_note,
    lead_offer,
)
from ecosystem.financing.views.matches import bank_matches, bank_matches_export
from ecosystem.financing.views.products import product_create, product_edit, product_list

__all__ = [
    "bank_matches",
    "bank_matches_export",
    "campaign_create",
    "campaign_detail",
    "campaign_list",
    "campaign_send",
    "enterprise_leads",
    "enterprise_matches",
    "figures_verification_ask",
    "enterprise_offer_accept",
    "enterprise_offer_confirm",
    "enterprise_offer_decline",
    "invitation_accept",
    "invitation_decline",
    "invitation_list",
    "lead_assign",
    "lead_claim",
    "lead_detail",
    "lead_disburse",
    "lead_export",
    "lead_inbox",
    "lead_move",
    "lead_note",
    "lead_offer",
    "match_apply",
    "product_create",
    "product_edit",
    "product_list",
]
