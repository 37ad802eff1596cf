"""Every read of financing, scoped to the user, by concept: ``products`` (banks, products,
versions), ``matches`` (matches, a bank's masked rows, a firm's explained matches),
``match_exports`` (a bank's match export as plain rows), ``campaigns`` and ``leads``.
Callers use this package's names."""

from ecosystem.financing.selectors.bank_matches import BankMatchList, bank_match_list
from ecosystem.financing.selectors.campaigns import (
    campaign_candidates,
    campaigns_visible_to,
    invitations_of,
    invitations_of_campaign,
    invitations_visible_to,
    total_exposure,
)
from ecosystem.financing.selectors.leads import (
    bank_leads_of,
    lead_offers,
    leads_visible_to,
    offers_visible_to,
    open_leads_of,
    overdue_q,
)
from ecosystem.financing.selectors.match_exports import match_export_rows
from ecosystem.financing.selectors.matches import (
    EnterpriseDetail,
    EnterpriseMatches,
    ExplainedProduct,
    MatchRow,
    enterprise_details,
    explained_matches,
    match_rows,
    matches_for_bank,
    matches_of_enterprise,
    matches_visible_to,
    stage_from,
)
from ecosystem.financing.selectors.products import (
    bank_products_of,
    banks_managed_by,
    banks_of_staff,
    products_managed_by,
    products_visible_to,
    versions_of,
    with_current_versions,
)

__all__ = [
    "BankMatchList",
    "bank_match_list",
    "EnterpriseDetail",
    "EnterpriseMatches",
    "ExplainedProduct",
    "MatchRow",
    "bank_leads_of",
    "bank_products_of",
    "banks_managed_by",
    "banks_of_staff",
    "campaign_candidates",
    "campaigns_visible_to",
    "enterprise_details",
    "explained_matches",
    "invitations_of",
    "invitations_of_campaign",
    "invitations_visible_to",
    "lead_offers",
    "leads_visible_to",
    "match_export_rows",
    "match_rows",
    "matches_for_bank",
    "matches_of_enterprise",
    "matches_visible_to",
    "offers_visible_to",
    "open_leads_of",
    "overdue_q",
    "products_managed_by",
    "products_visible_to",
    "with_current_versions",
    "stage_from",
    "total_exposure",
    "versions_of",
]
