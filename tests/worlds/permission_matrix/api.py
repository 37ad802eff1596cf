"""The API's entries of the permission matrix (``/api/v1/…``)."""

from tests.worlds.permission_matrix.entry import E, Entry

API: dict[str, Entry] = {
    "api-access-log-list": E(
        "anonymous=401 member=200 official=403 rm=403 manager=403 admin=403 *=404"
    ),
    "api-chain-coverage": E(
        "anonymous=401 member=404 other_member=404 registry=404 other_bank=404 *=200", pk="chain"
    ),
    "api-chain-detail": E("anonymous=401 *=200", pk="chain"),
    "api-chain-enterprise-nodes": E(
        "anonymous=401 other_member=404 other_official=404 registry=404"
        " other_bank=404 other_rm=404 *=200"
    ),
    "api-chain-leader-detail": E("anonymous=401 *=200", pk="leader"),
    "api-chain-leader-end": E(
        "anonymous=401 official=200 admin=200 *=404",
        pk="leader",
        method="POST",
        changes="admin official",
    ),
    "api-chain-leader-list": E("anonymous=401 *=200"),
    "api-chain-link-detail": E("anonymous=401 member=200 official=200 admin=200 *=404", pk="link"),
    "api-chain-link-list": E("anonymous=401 *=200"),
    "api-chain-link-transition": E(
        "anonymous=401 member=200 official=403 admin=403 *=404",
        pk="link",
        method="POST",
        changes="member",
    ),
    "api-chain-list": E("anonymous=401 *=200"),
    "api-chain-node-detail": E("anonymous=401 *=200", pk="node"),
    "api-chain-node-enterprises": E(
        "anonymous=401 member=404 other_member=404 registry=404 other_bank=404 *=200", pk="node"
    ),
    "api-chain-node-list": E("anonymous=401 *=200"),
    "api-claim-detail": E("anonymous=401 member=200 official=200 admin=200 *=404", pk="claim"),
    "api-claim-evidence-detail": E(
        "anonymous=401 member=200 official=200 admin=200 *=404", pk="evidence"
    ),
    "api-claim-evidence-download": E(
        "anonymous=401 member=200 official=200 admin=200 *=404", pk="evidence"
    ),
    "api-claim-evidence-list": E("anonymous=401 member=200 official=200 admin=200 *=404"),
    "api-claim-list": E(
        "anonymous=401 other_member=404 other_official=404 registry=404"
        " other_bank=404 other_rm=404 *=200"
    ),
    "api-claim-submit": E(
        "anonymous=401 member=200 official=403 rm=403 manager=403 admin=403 *=404",
        pk="draft_claim",
        method="POST",
        changes="member",
    ),
    "api-consent-detail": E(
        "anonymous=401 member=200 official=403 rm=403 manager=403 admin=403 *=404", pk="consent"
    ),
    "api-consent-list": E(
        "anonymous=401 member=200 official=403 rm=403 manager=403 admin=403 *=404"
    ),
    "api-consent-revoke": E(
        "anonymous=401 member=200 official=403 rm=403 manager=403 admin=403 *=404",
        pk="consent",
        method="POST",
        changes="member",
    ),
    "api-docs": E("*=200"),
    "api-enterprise-detail": E(
        "anonymous=401 other_member=404 other_official=404 registry=404"
        " other_bank=404 other_rm=404 *=200"
    ),
    "api-enterprise-join-request-approve": E(
        "anonymous=401 member=200 official=403 rm=403 manager=403 admin=403 *=404",
        pk="join_request",
        method="POST",
        changes="member",
    ),
    "api-enterprise-join-request-decline": E(
        "anonymous=401 member=200 official=403 rm=403 manager=403 admin=403 *=404",
        pk="join_request",
        method="POST",
        changes="member",
    ),
    "api-enterprise-join-request-list": E(
        "anonymous=401 member=200 official=403 rm=403 manager=403 admin=403 *=404"
    ),
    "api-enterprise-leave": E(
        "anonymous=401 member=204 official=403 rm=403 manager=403 admin=403 *=404",
        method="POST",
        changes="member",
    ),
    "api-enterprise-lifecycle": E(
        "anonymous=401 other_member=404 other_official=404 registry=404"
        " other_bank=404 other_rm=404 *=200"
    ),
    "api-enterprise-list": E("anonymous=401 *=200"),
    "api-enterprise-self-assessment": E(
        "anonymous=401 other_member=404 other_official=404 registry=404"
        " other_bank=404 other_rm=404 *=200"
    ),
    "api-financial-year-detail": E(
        "anonymous=401 other_member=404 other_official=404 registry=404"
        " other_bank=404 other_rm=404 *=200"
    ),
    "api-financial-year-list": E(
        "anonymous=401 other_member=404 other_official=404 registry=404"
        " other_bank=404 other_rm=404 *=200"
    ),
    "api-financing-campaign-detail": E("anonymous=401 manager=200 admin=200 *=404", pk="campaign"),
    "api-financing-campaign-list": E("anonymous=401 *=200"),
    "api-financing-campaign-preview": E("anonymous=401 manager=409 admin=409 *=404", pk="campaign"),
    "api-financing-campaign-send": E(
        "anonymous=401 manager=200 admin=200 *=404",
        pk="draft_campaign",
        method="POST",
        changes="admin manager",
    ),
    "api-financing-dashboard": E(
        "anonymous=401 rm=200 manager=200 other_bank=200 admin=200 other_rm=200 *=404"
    ),
    "api-financing-lead-assign": E(
        "anonymous=401 manager=200 admin=200 *=404",
        pk="lead",
        method="POST",
        changes="admin manager",
    ),
    "api-financing-lead-claim": E(
        "anonymous=401 rm=200 *=404", pk="new_lead", method="POST", changes="rm"
    ),
    "api-financing-lead-detail": E(
        "anonymous=401 member=200 rm=200 manager=200 admin=200 *=404", pk="lead"
    ),
    "api-financing-lead-disbursement": E(
        "anonymous=401 rm=201 manager=201 admin=201 *=404",
        pk="accepted_lead",
        method="POST",
        changes="admin manager rm",
    ),
    "api-financing-lead-list": E("anonymous=401 *=200"),
    "api-financing-lead-offers": E(
        "anonymous=401 rm=201 manager=201 admin=201 *=404",
        pk="contacted_lead",
        method="POST",
        changes="admin manager rm",
    ),
    "api-financing-lead-transition": E(
        "anonymous=401 member=200 rm=200 manager=200 admin=200 *=404",
        pk="lead",
        method="POST",
        changes="admin manager member rm",
    ),
    # other_rm: the RM of another branch of the bank, which does not serve the firm's zone
    # (its leads route to the rm's branch): the match is not theirs to see.
    "api-financing-match-apply": E(
        "anonymous=401 member=201 rm=403 manager=403 admin=403 *=404",
        pk="match",
        method="POST",
        changes="member",
    ),
    "api-financing-match-detail": E(
        "anonymous=401 member=200 rm=200 manager=200 admin=200 *=404", pk="match"
    ),
    "api-financing-match-list": E("anonymous=401 *=200"),
    "api-financing-need-close": E(
        "anonymous=401 member=200 official=403 rm=403 manager=403 admin=403 *=404",
        pk="need",
        method="POST",
        changes="member",
    ),
    "api-financing-need-detail": E(
        "anonymous=401 other_member=404 other_official=404 registry=404"
        " other_bank=404 other_rm=404 *=200",
        pk="need",
    ),
    "api-financing-need-list": E(
        "anonymous=401 other_member=404 other_official=404 registry=404"
        " other_bank=404 other_rm=404 *=200"
    ),
    "api-financing-offer-accept": E(
        "anonymous=401 member=200 *=404", pk="offer", method="POST", changes="member"
    ),
    "api-financing-offer-decline": E(
        "anonymous=401 member=200 *=404", pk="offer", method="POST", changes="member"
    ),
    "api-financing-offer-detail": E(
        "anonymous=401 member=200 rm=200 manager=200 admin=200 *=404", pk="offer"
    ),
    "api-financing-offer-list": E("anonymous=401 *=200"),
    "api-financing-preapproval-accept": E(
        "anonymous=401 member=201 *=404", pk="invitation", method="POST", changes="member"
    ),
    "api-financing-preapproval-decline": E(
        "anonymous=401 member=200 *=404", pk="invitation", method="POST", changes="member"
    ),
    "api-financing-preapproval-detail": E("anonymous=401 member=200 *=404", pk="invitation"),
    "api-financing-preapproval-list": E("anonymous=401 *=200"),
    "api-financing-product-detail": E(
        "anonymous=401 rm=200 manager=200 admin=200 other_rm=200 *=404", pk="product"
    ),
    "api-financing-product-list": E("anonymous=401 *=200"),
    "api-join-request-cancel": E(
        "anonymous=401 other_member=200 *=404",
        pk="own_join_request",
        method="POST",
        changes="other_member",
    ),
    "api-join-request-list": E("anonymous=401 *=200"),
    "api-list-import-adjust": E(
        "anonymous=401 registry=200 admin=200 *=404",
        pk="import",
        method="POST",
        changes="admin registry",
    ),
    "api-list-import-cancel": E(
        "anonymous=401 registry=200 admin=200 *=404",
        pk="import",
        method="POST",
        changes="admin registry",
    ),
    "api-list-import-confirm": E(
        "anonymous=401 registry=200 admin=200 *=404",
        pk="import",
        method="POST",
        changes="admin registry",
    ),
    "api-list-import-detail": E("anonymous=401 registry=200 admin=200 *=404", pk="import"),
    "api-list-import-errors": E("anonymous=401 registry=200 admin=200 *=404", pk="import"),
    "api-list-import-list": E("anonymous=401 *=200"),
    "api-me": E("anonymous=401 *=200"),
    "api-member-detail": E(
        "anonymous=401 member=204 official=403 rm=403 manager=403 admin=403 *=404",
        pk="member",
        method="DELETE",
        changes="member",
    ),
    "api-member-list": E(
        "anonymous=401 member=200 official=403 rm=403 manager=403 admin=403 *=404"
    ),
    "api-member-transfer-ownership": E(
        "anonymous=401 member=200 official=403 rm=403 manager=403 admin=403 *=404",
        pk="member",
        method="POST",
        changes="member",
    ),
    "api-platform-dashboard": E("anonymous=401 admin=200 *=404"),
    "api-program-detail": E("anonymous=401 *=200", pk="program"),
    "api-program-list": E("anonymous=401 *=200"),
    "api-registry-entry-detail": E(
        "anonymous=401 member=200 official=200 other_official=200 registry=200 admin=200 *=404",
        pk="own_entry",
    ),
    "api-registry-entry-list": E("anonymous=401 *=400"),
    "api-root": E("anonymous=401 *=200"),
    "api-schema": E("*=200"),
    "api-zone-claim-bulk-decide": E(
        "anonymous=401 official=200 other_official=200 admin=200 *=404",
        method="POST",
        changes="official",
    ),
    "api-zone-claim-decide": E(
        "anonymous=401 official=200 *=404", pk="claim", method="POST", changes="official"
    ),
    "api-zone-claim-detail": E("anonymous=401 official=200 admin=200 *=404", pk="claim"),
    "api-zone-dashboard": E("anonymous=401 official=200 other_official=200 admin=200 *=404"),
    "api-zone-queue": E("anonymous=401 official=200 other_official=200 admin=200 *=404"),
    "api-zone-year-detail": E("anonymous=401 official=200 admin=200 *=404", pk="year"),
    "api-zone-year-verification": E(
        "anonymous=401 official=200 *=404", pk="year", method="POST", changes="official"
    ),
}
