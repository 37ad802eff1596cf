"""The permission matrix: for every URL pattern, what each role gets.

One line per URL name: ``E("role=status …", pk=…, method=…)``. ``*`` stands for every role
not named. Roles (``ROLES``) are built by ``tests/unit/test_permission_matrix.py``:

- ``anonymous``; ``member`` (owner of the enterprise every URL points into);
  ``other_member`` (owner of another enterprise);
- ``official`` (of the enterprise's zone); ``other_official`` (of another zone);
- ``registry`` (officer of the claim's program);
- ``rm`` (relationship manager of the branch serving the zone), ``manager`` (of that
  bank), ``other_bank`` (manager of another bank); ``admin`` (platform admin).

``pk`` says what a bare ``<pk>`` in the route points at (``enterprise`` unless said);
``method="POST"`` entries are posted empty, in a transaction rolled back after each
request, and a role that is not in ``changes`` must leave every table as it was.
Public URLs are listed like the others, with the status everyone gets.

A new URL fails ``test_every_url_pattern_has_a_matrix_entry`` until it has a line here;
``PERMISSION_MATRIX_PROBE=1 pytest tests/unit/test_permission_matrix.py -s`` prints the
observed line to start from.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "member",
    "other_member",
    "official",
    "other_official",
    "registry",
    "rm",
    "manager",
    "other_bank",
    "admin",
)


@dataclass(frozen=True)
class Entry:
    statuses: dict[str, int]
    pk: str = "enterprise"
    method: str = "GET"
    table: str = ""
    changes: frozenset[str] = field(default_factory=frozenset)

    def expected(self, role: str) -> int:
        return self.statuses.get(role, self.statuses.get("*"))

    def may_change(self, role: str) -> bool:
        return role in self.changes

    def with_statuses(self, name: str, row: dict[str, int], changers=frozenset()) -> str:
        """This entry's line with the statuses (and the roles that changed data) observed."""
        common = Counter(row.values()).most_common(1)[0][0]
        spec = " ".join(f"{r}={s}" for r, s in row.items() if s != common) + f" *={common}"
        options = "".join(
            f', {key}="{value}"'
            for key, value, default in (
                ("pk", self.pk, "enterprise"),
                ("method", self.method, "GET"),
                ("table", self.table, ""),
                ("changes", " ".join(sorted(changers)), ""),
            )
            if value != default
        )
        return f'    "{name}": E("{spec.strip()}"{options}),'


def E(spec: str, *, pk="enterprise", method="GET", table="", changes="") -> Entry:  # noqa: N802
    statuses = {}
    for item in spec.split():
        role, _, status = item.partition("=")
        assert role in ROLES or role == "*", f"unknown role {role!r}"
        statuses[role] = int(status)
    assert "*" in statuses or set(statuses) >= set(ROLES), spec
    return Entry(statuses, pk=pk, method=method, table=table, changes=frozenset(changes.split()))


#: Every admin page: platform admins only; the admin's login sends everyone else away.
ADMIN_GROUP = E("admin=200 *=302", pk="missing")

MATRIX: dict[str, Entry] = {
    "access_log": E("anonymous=302 member=200 *=404"),
    "account_change_password": E("anonymous=302 *=200"),
    "account_confirm_email": E("*=200"),
    "account_confirm_login_code": E("*=302"),
    "account_confirm_reauthentication_code": E("*=302"),
    "account_email": E("anonymous=302 *=200"),
    "account_email_verification_sent": E("*=200"),
    "account_inactive": E("*=200"),
    "account_login": E("anonymous=200 *=302"),
    "account_logout": E("anonymous=302 *=200"),
    "account_reauthenticate": E("anonymous=302 *=200"),
    "account_request_reauthentication_code": E("anonymous=302 *=200"),
    "account_reset_password": E("*=200"),
    "account_reset_password_done": E("*=200"),
    "account_reset_password_from_key": E("*=200"),
    "account_reset_password_from_key_done": E("*=200"),
    "account_set_password": E("*=302"),
    "account_signup": E("anonymous=200 *=302"),
    "api-access-log-list": E(
        "anonymous=401 member=200 official=403 rm=403 manager=403 admin=403 *=404"
    ),
    "api-chain-coverage": E(
        "anonymous=401 member=404 other_member=404 registry=404 other_bank=404 *=200", pk="chain"
    ),
    "api-chain-detail": E("anonymous=401 *=200", pk="chain"),
    "api-chain-enterprise-nodes": E(
        "anonymous=401 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
    ),
    "api-chain-leader-detail": E("anonymous=401 *=404", pk="missing"),
    "api-chain-leader-end": E("anonymous=401 *=404", pk="missing", method="POST"),
    "api-chain-leader-list": E("anonymous=401 *=200"),
    "api-chain-link-detail": E("anonymous=401 *=404", pk="missing"),
    "api-chain-link-list": E("anonymous=401 *=200"),
    "api-chain-link-transition": E("anonymous=401 *=404", pk="missing", method="POST"),
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
        "anonymous=401 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
    ),
    "api-claim-submit": E(
        "anonymous=401 member=409 official=403 rm=403 manager=403 admin=403 *=404",
        pk="claim",
        method="POST",
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
        "anonymous=401 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
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
        "anonymous=401 member=409 official=403 rm=403 manager=403 admin=403 *=404", method="POST"
    ),
    "api-enterprise-lifecycle": E(
        "anonymous=401 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
    ),
    "api-enterprise-list": E("anonymous=401 *=200"),
    "api-enterprise-self-assessment": E(
        "anonymous=401 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
    ),
    "api-financial-year-detail": E(
        "anonymous=401 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
    ),
    "api-financial-year-list": E(
        "anonymous=401 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
    ),
    "api-financing-campaign-detail": E("anonymous=401 manager=200 admin=200 *=404", pk="campaign"),
    "api-financing-campaign-list": E("anonymous=401 *=200"),
    "api-financing-campaign-preview": E("anonymous=401 manager=409 admin=409 *=404", pk="campaign"),
    "api-financing-campaign-send": E(
        "anonymous=401 manager=409 admin=409 *=404", pk="campaign", method="POST"
    ),
    "api-financing-lead-assign": E(
        "anonymous=401 member=400 rm=400 manager=400 admin=400 *=404", pk="lead", method="POST"
    ),
    "api-financing-lead-claim": E("anonymous=401 rm=200 *=404", pk="lead", method="POST"),
    "api-financing-lead-detail": E(
        "anonymous=401 member=200 rm=200 manager=200 admin=200 *=404", pk="lead"
    ),
    "api-financing-lead-disbursement": E(
        "anonymous=401 member=400 rm=400 manager=400 admin=400 *=404", pk="lead", method="POST"
    ),
    "api-financing-lead-list": E("anonymous=401 *=200"),
    "api-financing-lead-offers": E(
        "anonymous=401 member=400 rm=400 manager=400 admin=400 *=404", pk="lead", method="POST"
    ),
    "api-financing-lead-transition": E(
        "anonymous=401 member=400 rm=400 manager=400 admin=400 *=404", pk="lead", method="POST"
    ),
    "api-financing-match-apply": E(
        "anonymous=401 member=200 rm=403 manager=403 admin=403 *=404",
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
        "anonymous=401 other_member=404 other_official=404 registry=404 other_bank=404 *=200",
        pk="need",
    ),
    "api-financing-need-list": E(
        "anonymous=401 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
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
    "api-financing-preapproval-accept": E("anonymous=401 *=404", pk="invitation", method="POST"),
    "api-financing-preapproval-decline": E("anonymous=401 *=404", pk="invitation", method="POST"),
    "api-financing-preapproval-detail": E("anonymous=401 *=404", pk="invitation"),
    "api-financing-preapproval-list": E("anonymous=401 *=200"),
    "api-financing-product-detail": E(
        "anonymous=401 rm=200 manager=200 admin=200 *=404", pk="product"
    ),
    "api-financing-product-list": E("anonymous=401 *=200"),
    "api-join-request-cancel": E("anonymous=401 *=404", pk="join_request", method="POST"),
    "api-join-request-list": E("anonymous=401 *=200"),
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
        "anonymous=401 member=405 official=403 rm=403 manager=403 admin=403 *=404",
        pk="member",
        method="POST",
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
    "api-program-detail": E("anonymous=401 *=200", pk="program"),
    "api-program-list": E("anonymous=401 *=200"),
    "api-registry-entry-detail": E("anonymous=401 *=404", pk="entry"),
    "api-registry-entry-list": E("anonymous=401 *=400"),
    "api-root": E("anonymous=401 *=200"),
    "api-schema": E("*=200"),
    "api-zone-claim-bulk-decide": E(
        "anonymous=401 official=400 other_official=400 admin=400 *=404", method="POST"
    ),
    "api-zone-claim-decide": E(
        "anonymous=401 official=400 admin=400 *=404", pk="claim", method="POST"
    ),
    "api-zone-claim-detail": E("anonymous=401 official=200 admin=200 *=404", pk="claim"),
    "api-financing-dashboard": E("anonymous=401 rm=200 manager=200 other_bank=200 admin=200 *=404"),
    "api-platform-dashboard": E("anonymous=401 admin=200 *=404"),
    "api-zone-dashboard": E("anonymous=401 official=200 other_official=200 admin=200 *=404"),
    "api-zone-queue": E("anonymous=401 official=200 other_official=200 admin=200 *=404"),
    "api-zone-year-detail": E("anonymous=401 official=200 admin=200 *=404", pk="year"),
    "api-zone-year-verification": E(
        "anonymous=401 official=400 admin=400 *=404", pk="year", method="POST"
    ),
    "chains:chain_detail": E(
        "anonymous=302 member=404 other_member=404 registry=404 other_bank=404 *=200"
    ),
    "chains:chain_export": E(
        "anonymous=302 member=404 other_member=404 registry=404 other_bank=404 *=200"
    ),
    "chains:chain_list": E(
        "anonymous=302 member=404 other_member=404 registry=404 other_bank=404 *=200"
    ),
    "chains:ecosystem": E("anonymous=302 official=200 other_official=200 admin=200 *=404"),
    "chains:ecosystem_export": E(
        "anonymous=302 official=200 other_official=200 admin=200 *=404", table="total"
    ),
    "chains:enterprise_links": E("anonymous=302 member=200 *=404"),
    "chains:enterprise_nodes": E(
        "anonymous=302 member=200 official=200 rm=403 manager=403 admin=200 *=404"
    ),
    "chains:leader_end": E("anonymous=302 *=404", method="POST"),
    "chains:leader_list": E("anonymous=302 official=200 other_official=200 admin=200 *=404"),
    "chains:link_invite": E("anonymous=302 member=400 *=404", method="POST"),
    "chains:link_move": E("anonymous=302 *=404", method="POST"),
    "chains:link_request": E("anonymous=302 member=400 *=404", method="POST"),
    "chains:node_enterprises": E(
        "anonymous=302 member=404 other_member=404 registry=404 other_bank=404 *=200"
    ),
    "claim_create": E("anonymous=302 member=200 *=404"),
    "claim_detail": E("anonymous=302 member=200 official=200 admin=200 *=404"),
    "claim_edit": E("anonymous=302 member=200 *=404", method="POST"),
    "claim_list": E(
        "anonymous=302 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
    ),
    "claim_submit": E("anonymous=302 member=200 *=404", method="POST"),
    "consent_grant": E("anonymous=302 member=200 *=404", method="POST"),
    "consent_list": E("anonymous=302 member=200 *=404"),
    "consent_revoke": E("anonymous=302 member=302 *=404", method="POST", changes="member"),
    "enterprise_detail": E(
        "anonymous=302 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
    ),
    "enterprise_edit": E("anonymous=302 member=200 *=404"),
    "evidence_download": E("anonymous=302 member=200 official=200 admin=200 *=404"),
    "evidence_remove": E("anonymous=302 member=302 *=404", method="POST"),
    "evidence_upload": E("anonymous=302 member=200 *=404", method="POST"),
    "financial_year_add": E("anonymous=302 member=200 *=404"),
    "financial_year_edit": E("anonymous=302 member=200 *=404"),
    "financial_year_list": E(
        "anonymous=302 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
    ),
    "financing_bank_dashboard": E(
        "anonymous=302 rm=200 manager=200 other_bank=200 admin=200 *=404"
    ),
    "financing_bank_dashboard_export": E(
        "anonymous=302 rm=200 manager=200 other_bank=200 admin=200 *=404", table="funnel"
    ),
    "financing_bank_home": E("*=302"),
    "financing_bank_matches": E("anonymous=302 rm=200 manager=200 other_bank=200 admin=200 *=404"),
    "financing_bank_matches_export": E(
        "anonymous=302 rm=200 manager=200 other_bank=200 admin=200 *=404"
    ),
    "financing_campaign_create": E(
        "anonymous=302 manager=302 other_bank=302 admin=302 *=404", method="POST"
    ),
    "financing_campaign_detail": E("anonymous=302 manager=200 admin=200 *=404"),
    "financing_campaign_send": E("anonymous=302 manager=302 admin=302 *=404", method="POST"),
    "financing_campaigns": E("anonymous=302 manager=200 other_bank=200 admin=200 *=404"),
    "financing_enterprise_leads": E("anonymous=302 member=200 *=404"),
    "financing_enterprise_matches": E("anonymous=302 member=200 *=404"),
    "financing_enterprise_offer_accept": E(
        "anonymous=302 member=302 *=404", method="POST", changes="member"
    ),
    "financing_enterprise_offer_decline": E(
        "anonymous=302 member=302 *=404", method="POST", changes="member"
    ),
    "financing_invitation_accept": E("anonymous=302 *=404", method="POST"),
    "financing_invitation_decline": E("anonymous=302 *=404", method="POST"),
    "financing_invitations": E("anonymous=302 member=200 *=404"),
    "financing_lead_assign": E("anonymous=302 rm=302 manager=302 admin=302 *=404", method="POST"),
    "financing_lead_claim": E("anonymous=302 rm=302 *=404", method="POST"),
    "financing_lead_detail": E("anonymous=302 rm=200 manager=200 admin=200 *=404"),
    "financing_lead_disburse": E("anonymous=302 rm=302 manager=302 admin=302 *=404", method="POST"),
    "financing_lead_export": E("anonymous=302 rm=200 manager=200 other_bank=200 admin=200 *=404"),
    "financing_lead_inbox": E("anonymous=302 rm=200 manager=200 other_bank=200 admin=200 *=404"),
    "financing_lead_move": E("anonymous=302 rm=302 manager=302 admin=302 *=404", method="POST"),
    "financing_lead_note": E("anonymous=302 rm=302 manager=302 admin=302 *=404", method="POST"),
    "financing_lead_offer": E("anonymous=302 rm=302 manager=302 admin=302 *=404", method="POST"),
    "financing_match_apply": E("anonymous=302 member=302 *=404", method="POST", changes="member"),
    "financing_need_add": E("anonymous=302 member=200 *=404"),
    "financing_need_close": E("anonymous=302 member=302 *=404", method="POST", changes="member"),
    "financing_need_list": E(
        "anonymous=302 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
    ),
    "financing_product_create": E("anonymous=302 manager=200 other_bank=200 admin=200 *=404"),
    "financing_product_edit": E("anonymous=302 rm=200 manager=200 admin=200 *=404"),
    "financing_products": E("anonymous=302 rm=200 manager=200 other_bank=200 admin=200 *=404"),
    "healthz": E("*=200"),
    "home": E("*=200"),
    "invitation_accept": E("*=200"),
    "join_request_cancel": E("anonymous=302 *=404", method="POST"),
    "join_request_decide": E("anonymous=302 member=302 *=404", method="POST", changes="member"),
    "member_invite": E("anonymous=302 member=200 *=404", method="POST"),
    "member_leave": E("anonymous=302 member=302 *=404", method="POST"),
    "member_list": E("anonymous=302 member=200 *=404"),
    "member_remove": E("anonymous=302 member=302 *=404", method="POST", changes="member"),
    "mfa_activate_totp": E("member=200 other_member=200 *=302"),
    "mfa_authenticate": E("*=302"),
    "mfa_deactivate_totp": E("member=404 other_member=404 *=302"),
    "mfa_download_recovery_codes": E("anonymous=302 *=404"),
    "mfa_generate_recovery_codes": E("member=200 other_member=200 *=302"),
    "mfa_index": E("anonymous=302 *=200"),
    "mfa_reauthenticate": E("anonymous=302 member=302 other_member=302 *=200"),
    "mfa_view_recovery_codes": E("anonymous=302 *=404"),
    "my_enterprises": E("anonymous=302 *=200"),
    "notification_list": E("anonymous=302 *=200"),
    "notification_read": E(
        "anonymous=302 member=302 *=404", pk="notification", method="POST", changes="member"
    ),
    "onboarding_autosave": E("anonymous=302 *=404", method="POST"),
    "onboarding_join": E("*=302", method="POST"),
    "onboarding_start": E("*=302"),
    "onboarding_step": E("anonymous=302 *=404"),
    "onboarding_uscc_check": E("anonymous=302 *=200"),
    "ownership_transfer": E("anonymous=302 member=200 *=404", method="POST"),
    "registry_entry_lookup": E("anonymous=302 *=200"),
    "registry_import_cancel": E(
        "anonymous=302 registry=302 admin=302 *=404",
        pk="import",
        method="POST",
        changes="admin registry",
    ),
    "registry_import_confirm": E(
        "anonymous=302 registry=302 admin=302 *=404",
        pk="import",
        method="POST",
        changes="admin registry",
    ),
    "registry_import_detail": E("anonymous=302 registry=200 admin=200 *=404", pk="import"),
    "registry_import_errors": E("anonymous=302 registry=200 admin=200 *=404", pk="import"),
    "registry_import_errors_export": E("anonymous=302 registry=200 admin=200 *=404", pk="import"),
    "registry_import_progress": E("anonymous=302 registry=200 admin=200 *=404", pk="import"),
    "registry_import_upload": E("anonymous=302 registry=200 admin=200 *=404"),
    "registry_imports": E("anonymous=302 registry=200 admin=200 *=404"),
    "registry_imports_export": E("anonymous=302 registry=200 admin=200 *=404"),
    "platform_dashboard": E("anonymous=302 admin=200 *=404"),
    "platform_dashboard_export": E("anonymous=302 admin=200 *=404", table="zones"),
    "registry_lists": E("anonymous=302 member=404 other_member=404 *=200"),
    "registry_reconciliation": E("anonymous=302 *=404"),
    "registry_reconciliation_export": E("anonymous=302 *=404", table="outreach"),
    "self_assessment": E(
        "anonymous=302 other_member=404 other_official=404 registry=404 other_bank=404 *=200"
    ),
    "set_language": E("*=302"),
    "zone_claim_decide": E("anonymous=302 official=400 admin=400 *=404", pk="claim", method="POST"),
    "zone_claim_review": E("anonymous=302 official=200 admin=200 *=404", pk="claim"),
    "zone_dashboard": E("anonymous=302 official=200 other_official=200 admin=200 *=404"),
    "zone_dashboard_export": E(
        "anonymous=302 official=200 other_official=200 admin=200 *=404", table="stages"
    ),
    "zone_home": E("*=302"),
    "zone_queue": E("anonymous=302 official=200 other_official=200 admin=200 *=404"),
    "zone_queue_bulk": E(
        "anonymous=302 official=302 other_official=302 admin=302 *=404", method="POST"
    ),
    "zone_queue_export": E("anonymous=302 official=200 other_official=200 admin=200 *=404"),
    "zone_settings": E("anonymous=302 official=200 other_official=200 admin=200 *=404"),
    "zone_year_review": E("anonymous=302 official=200 admin=200 *=404", pk="year"),
}
