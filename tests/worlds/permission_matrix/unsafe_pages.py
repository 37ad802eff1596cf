"""The request each unsafe page entry sends, and the change it makes when permitted."""

from ecosystem.accounts.roles import Role
from tests.factories import make_uscc
from tests.worlds.permission_matrix.unsafe import (
    LEAD_STATUS,
    Unsafe,
    assign,
    count,
    disbursement,
    field,
    lead_move,
    offer_terms,
    pdf,
    same,
)


def _claim_edit(world, role) -> dict:
    claim = world.get("draft_claim")
    return {
        "program": claim.program_id,
        "certificate_number": "CHANGED-1",
        "year": claim.year,
        "version": claim.version,
    }


UNSAFE_PAGES: dict[str, Unsafe] = {
    "api_token_create": Unsafe(
        "a new API token",
        count("accounts.StaffToken"),
        same({"name": "CRM feed", "kind": "read_only", "days": "30"}),
    ),
    "api_token_revoke": Unsafe("the token is revoked", field("api_token", "revoked_at")),
    "chains:leader_end": Unsafe("the designation ends", field("leader", "ended_at")),
    "chains:link_invite": Unsafe(
        "a new invited supplier link",
        count("chains.SupplierLink"),
        lambda world, role: {
            "leader": world.objects["leader"].pk,
            "supplier_uscc": world.invitee.uscc,
        },
    ),
    "chains:link_move": Unsafe(
        "the requested link is confirmed", field("link", "status"), same({"to": "confirmed"})
    ),
    "chains:link_request": Unsafe(
        "a new requested supplier link",
        count("chains.SupplierLink"),
        lambda world, role: {"leader": world.objects["peer_leader"].pk},
    ),
    "claim_edit": Unsafe(
        "the draft claim's certificate number",
        field("draft_claim", "certificate_number"),
        _claim_edit,
    ),
    "claim_submit": Unsafe("the draft claim is submitted", field("draft_claim", "status")),
    "consent_grant": Unsafe(
        "a new consent",
        count("enterprises.Consent"),
        lambda world, role: {
            "bank": world.leads.manager_other_bank.memberships.get().bank_id,
            "purpose": "financing",
            "agree": "on",
        },
    ),
    "consent_revoke": Unsafe("the consent is revoked", field("consent", "revoked_at")),
    "identity_bank_confirm": Unsafe(
        "the firm's identity is confirmed by the bank", field("identity_firm", "identity_status")
    ),
    "zone_identity_decide": Unsafe(
        "the firm's identity is confirmed",
        field("identity_firm", "identity_status"),
        same({"decision": "confirm"}),
    ),
    "zone_dispute_decide": Unsafe(
        "the dispute is dismissed",
        field("dispute", "status"),
        same({"decision": "dismiss", "reason_code": "holder_proven"}),
    ),
    "zone_name_flag_clear": Unsafe("the flag is cleared", field("name_flag", "cleared_at")),
    "evidence_remove": Unsafe("the evidence is removed", count("enterprises.Evidence")),
    "evidence_upload": Unsafe("new evidence", count("enterprises.Evidence"), pdf),
    "financing_campaign_create": Unsafe(
        "a new draft campaign",
        count("financing.Campaign"),
        lambda world, role: {"product": world.objects["product"].pk},
    ),
    "financing_campaign_send": Unsafe(
        "the draft campaign is sent", field("draft_campaign", "status")
    ),
    "financing_enterprise_offer_accept": Unsafe(
        "the offer is accepted (confirmed)",
        field("offer", "status"),
        lambda world, role: {"confirm": "yes"},
    ),
    "financing_enterprise_offer_decline": Unsafe("the offer is declined", field("offer", "status")),
    "financing_invitation_accept": Unsafe(
        "the invitation is accepted", field("invitation", "status")
    ),
    "financing_invitation_decline": Unsafe(
        "the invitation is declined", field("invitation", "status")
    ),
    "financing_lead_assign": Unsafe(
        "the lead is assigned to another RM", field("lead", "assigned_to_id"), assign
    ),
    "financing_lead_claim": Unsafe(
        "the new lead is the RM's", field("new_lead", "status", "assigned_to_id")
    ),
    "financing_lead_disburse": Unsafe(
        "the accepted lead is disbursed", field("accepted_lead", "status"), disbursement
    ),
    "financing_lead_move": Unsafe(LEAD_STATUS, field("lead", "status"), lead_move),
    "financing_lead_note": Unsafe(
        "a new note", count("financing.LeadNote"), same({"body": "Called the CFO."})
    ),
    "financing_lead_offer": Unsafe(
        "the contacted lead gets an offer", field("contacted_lead", "status"), offer_terms
    ),
    "financing_match_apply": Unsafe("a new lead", count("financing.Lead")),
    "financing_figures_verification_ask": Unsafe(
        "the zone is asked to verify the figures",
        count("core.AuditEvent", verb="financial_year.verification_asked"),
    ),
    "financing_need_close": Unsafe("the need is closed", field("need", "status")),
    "join_request_cancel": Unsafe(
        "the own join request is cancelled", field("own_join_request", "status")
    ),
    "join_request_decide": Unsafe(
        "the join request is approved",
        field("join_request", "status"),
        same({"decision": "approve"}),
    ),
    "member_invite": Unsafe(
        "a new invitation",
        count("accounts.Invitation"),
        same({"email": "new.colleague@example.com", "role": Role.ENTERPRISE_MEMBER}),
    ),
    "member_leave": Unsafe(
        "the member's membership ends", count("accounts.Membership", is_active=True)
    ),
    "member_remove": Unsafe(
        "the colleague is removed", count("accounts.Membership", is_active=True)
    ),
    "notification_read": Unsafe("the notification is read", field("notification", "read_at")),
    "onboarding_autosave": Unsafe(
        "the signed-in user's onboarding draft",
        count("enterprises.OnboardingDraft"),
        lambda world, role: {"uscc": make_uscc(99)},
    ),
    "onboarding_join": Unsafe(
        "a new join request",
        count("enterprises.JoinRequest"),
        lambda world, role: {"uscc": world.enterprise.uscc, "message": "我是CTO"},
    ),
    "ownership_transfer": Unsafe(
        "the colleague becomes the owner",
        field("member", "role"),
        lambda world, role: {"membership": world.objects["member"].pk},
    ),
    "registry_import_adjust": Unsafe(
        "the officer's column mapping is kept",
        field("import", "mappings"),
        same({"map:0:0": ""}),
    ),
    "registry_name_match_decide": Unsafe(
        "the name match is confirmed", field("name_match", "status")
    ),
    "registry_import_cancel": Unsafe("the import is cancelled", field("import", "status")),
    "registry_import_confirm": Unsafe("the import is confirmed", field("import", "status")),
    "zone_claim_decide": Unsafe(
        "the claim is verified", field("claim", "status"), same({"to": "verified"})
    ),
    "zone_queue_bulk": Unsafe(
        "the claim is verified",
        field("claim", "status"),
        lambda world, role: {"claim": [world.objects["claim"].pk], "to": "verified"},
    ),
}
