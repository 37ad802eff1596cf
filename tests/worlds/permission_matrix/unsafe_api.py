"""The request each unsafe API entry sends, and the change it makes when permitted."""

from tests.worlds.permission_matrix.unsafe import (
    LEAD_STATUS,
    Unsafe,
    assign,
    count,
    disbursement,
    field,
    lead_move,
    offer_terms,
    same,
)

UNSAFE_API: dict[str, Unsafe] = {
    "api-chain-leader-end": Unsafe("the designation ends", field("leader", "ended_at")),
    "api-chain-link-transition": Unsafe(
        "the requested link is confirmed", field("link", "status"), same({"to": "confirmed"})
    ),
    "api-claim-submit": Unsafe("the draft claim is submitted", field("draft_claim", "status")),
    "api-consent-revoke": Unsafe("the consent is revoked", field("consent", "revoked_at")),
    "api-enterprise-join-request-approve": Unsafe(
        "the join request is approved", field("join_request", "status")
    ),
    "api-enterprise-join-request-decline": Unsafe(
        "the join request is declined", field("join_request", "status")
    ),
    "api-enterprise-leave": Unsafe(
        "the member's membership ends", count("accounts.Membership", is_active=True)
    ),
    "api-financing-campaign-send": Unsafe(
        "the draft campaign is sent", field("draft_campaign", "status")
    ),
    "api-financing-lead-assign": Unsafe(
        "the lead is assigned to another RM", field("lead", "assigned_to_id"), assign
    ),
    "api-financing-lead-claim": Unsafe(
        "the new lead is the RM's", field("new_lead", "status", "assigned_to_id")
    ),
    "api-financing-lead-disbursement": Unsafe(
        "the accepted lead is disbursed", field("accepted_lead", "status"), disbursement
    ),
    "api-financing-lead-offers": Unsafe(
        "the contacted lead gets an offer", field("contacted_lead", "status"), offer_terms
    ),
    "api-financing-lead-transition": Unsafe(LEAD_STATUS, field("lead", "status"), lead_move),
    "api-financing-match-apply": Unsafe("a new lead", count("financing.Lead")),
    "api-financing-need-close": Unsafe("the need is closed", field("need", "status")),
    "api-financing-offer-accept": Unsafe("the offer is accepted", field("offer", "status")),
    "api-financing-offer-decline": Unsafe("the offer is declined", field("offer", "status")),
    "api-financing-preapproval-accept": Unsafe(
        "the invitation is accepted", field("invitation", "status")
    ),
    "api-financing-preapproval-decline": Unsafe(
        "the invitation is declined", field("invitation", "status")
    ),
    "api-join-request-cancel": Unsafe(
        "the own join request is cancelled", field("own_join_request", "status")
    ),
    "api-list-import-adjust": Unsafe(
        "the officer's column mapping is kept",
        field("import", "mappings"),
        same({"mappings": {"CSV": {"0": ""}}}),
        json=True,
    ),
    "api-list-import-cancel": Unsafe("the import is cancelled", field("import", "status")),
    "api-list-import-confirm": Unsafe("the import is confirmed", field("import", "status")),
    "api-member-detail": Unsafe(
        "the colleague is removed", count("accounts.Membership", is_active=True)
    ),
    "api-member-transfer-ownership": Unsafe(
        "the colleague becomes the owner", field("member", "role")
    ),
    "api-zone-claim-bulk-decide": Unsafe(
        "the claim is verified",
        field("claim", "status"),
        lambda world, role: {"claim_ids": [world.objects["claim"].pk], "to": "verified"},
        json=True,
    ),
    "api-zone-claim-decide": Unsafe(
        "the claim is verified", field("claim", "status"), same({"to": "verified"})
    ),
    "api-zone-year-verification": Unsafe(
        "the year is verified", field("year", "verification_status"), same({"status": "verified"})
    ),
}
