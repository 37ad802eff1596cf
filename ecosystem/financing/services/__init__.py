"""Every write of financing, by concept: ``products`` (products and their versions),
``rematch`` (enterprise changed → rematch), ``applications`` (a firm applies for a match),
``campaigns`` (pre-approval campaigns and their invitations) and ``leads`` (a lead's life:
``create``, ``moves``, ``offers``, ``expiry``, ``sla``). Callers use this package's names:
``from ecosystem.financing import services``; ``services.lead_transition(...)``."""

from ecosystem.financing.services.applications import (
    NewNeed,
    figures_refusal,
    figures_verification_ask,
    figures_verification_asked_at,
    match_apply,
)
from ecosystem.financing.services.campaigns import (
    CampaignPreview,
    campaign_create,
    campaign_preview,
    campaign_send,
    invitation_accept,
    invitation_decline,
)
from ecosystem.financing.services.leads import (
    campaign_invitations_expire,
    disbursement_record,
    lead_assign,
    lead_claim,
    lead_note_add,
    lead_party,
    lead_transition,
    leads_escalate_overdue,
    leads_expire_stale,
    offer_accept,
    offer_decline,
    offer_make,
    offers_expire,
)
from ecosystem.financing.services.leads.create import route_branch
from ecosystem.financing.services.products import (
    ELIGIBILITY_FIELDS,
    LIMIT_FIELDS,
    LIST_TERMS,
    REQUIRED_TERMS,
    STAGES,
    TERM_FIELDS,
    VERSION_FIELDS,
    product_save,
)
from ecosystem.financing.services.rematch import (
    enterprise_changed,
    markers_sweep,
    rematch_enterprise_now,
)

__all__ = [
    "ELIGIBILITY_FIELDS",
    "LIMIT_FIELDS",
    "LIST_TERMS",
    "REQUIRED_TERMS",
    "STAGES",
    "TERM_FIELDS",
    "VERSION_FIELDS",
    "CampaignPreview",
    "NewNeed",
    "figures_refusal",
    "figures_verification_ask",
    "figures_verification_asked_at",
    "campaign_create",
    "campaign_invitations_expire",
    "campaign_preview",
    "campaign_send",
    "disbursement_record",
    "enterprise_changed",
    "invitation_accept",
    "invitation_decline",
    "lead_assign",
    "lead_claim",
    "lead_note_add",
    "lead_party",
    "lead_transition",
    "leads_escalate_overdue",
    "leads_expire_stale",
    "markers_sweep",
    "match_apply",
    "offer_accept",
    "offer_decline",
    "offer_make",
    "offers_expire",
    "product_save",
    "rematch_enterprise_now",
    "route_branch",
]
