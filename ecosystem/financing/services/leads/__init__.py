"""The lead pipeline: claiming and assigning, moving a lead along ``workflow``,
offers and their answers, disbursement, and escalating overdue leads.

Every write is keyword-only, locks the lead (``select_for_update``), checks the move
against ``workflow.TRANSITIONS`` for the actor's party, saves with
``update_fields``, writes an ``AuditEvent`` and a timeline entry, and notifies through
``notify`` (whose email goes after commit). A refused move changes nothing.
"""

from ecosystem.financing.services.leads.common import lead_party
from ecosystem.financing.services.leads.expiry import (
    campaign_invitations_expire,
    leads_expire_stale,
    offers_expire,
)
from ecosystem.financing.services.leads.moves import (
    lead_assign,
    lead_claim,
    lead_note_add,
    lead_transition,
)
from ecosystem.financing.services.leads.offers import (
    disbursement_record,
    offer_accept,
    offer_decline,
    offer_make,
)
from ecosystem.financing.services.leads.sla import leads_escalate_overdue

__all__ = [
    "campaign_invitations_expire",
    "leads_expire_stale",
    "offers_expire",
    "disbursement_record",
    "lead_assign",
    "lead_claim",
    "lead_note_add",
    "lead_party",
    "lead_transition",
    "leads_escalate_overdue",
    "offer_accept",
    "offer_decline",
    "offer_make",
]
