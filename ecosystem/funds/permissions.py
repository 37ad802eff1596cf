"""Who may see and do what with the policy funds: loans, schemes, filings, claims and
subsidy applications.

Each rule is a ``Q`` over the model built from the user's ``Scope`` (``accounts.scope``);
the selectors filter by these rules and the ``can_*`` checks derive from them. The bank
side of a loan is its bank's managers and the relationship managers of the lead's branch;
the firm sees its own loans; a fund manager sees what was filed into their schemes; a zone
official sees aggregates (``selectors.zone_loan_figures``), and a loan's detail only where
the firm shares its loans with its zone (``LoanSharing``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from ecosystem.accounts.scope import EVERYTHING, NOTHING, Scope, scope_of
from ecosystem.funds import workflow


def _ids(field: str, ids) -> Q:
    return Q(**{f"{field}__in": ids}) if ids else NOTHING


def bank_loans_q(scope: Scope, prefix: str = "") -> Q:
    """The bank side of a loan: its bank's managers and its branch's relationship managers."""
    return _ids(f"{prefix}bank_id", scope.managed_bank_ids) | _ids(
        f"{prefix}lead__branch_id", scope.branch_ids
    )


def loans_q(scope: Scope) -> Q:
    if not scope.is_authenticated:
        return NOTHING
    if scope.admin_may("view_all"):
        return EVERYTHING
    return (
        bank_loans_q(scope)
        | _ids("enterprise_id", scope.enterprise_ids)
        | _ids("filings__scheme_id", scope.scheme_ids)
        | zone_shared_loans_q(scope)
    )


def zone_shared_loans_q(scope: Scope) -> Q:
    """A zone official sees a loan row only where its firm shares its loans with the zone."""
    if not scope.zone_ids:
        return NOTHING
    from ecosystem.funds.models import LoanSharing

    shared = LoanSharing.objects.filter(
        enterprise_id=OuterRef("enterprise_id"), revoked_at__isnull=True
    )
    return Q(enterprise__zone_id__in=scope.zone_ids) & Q(Exists(shared))


def schemes_q(scope: Scope) -> Q:
    """Schemes are public terms to staff: banks read them to join and to see headroom;
    zone officials and fund managers too. Enterprise members reach a scheme through their
    loan's subsidy page only."""
    if not scope.is_authenticated:
        return NOTHING
    if scope.admin_may("view_all") or scope.bank_ids or scope.zone_ids:
        return EVERYTHING
    return _ids("pk", scope.scheme_ids)


def managed_schemes_q(scope: Scope, field: str = "pk") -> Q:
    return _ids(field, scope.scheme_ids)


def filings_q(scope: Scope) -> Q:
    if not scope.is_authenticated:
        return NOTHING
    if scope.admin_may("view_all"):
        return EVERYTHING
    return bank_loans_q(scope, "loan__") | managed_schemes_q(scope, "scheme_id")


def claims_q(scope: Scope) -> Q:
    if not scope.is_authenticated:
        return NOTHING
    if scope.admin_may("view_all"):
        return EVERYTHING
    return bank_loans_q(scope, "filing__loan__") | managed_schemes_q(scope, "filing__scheme_id")


def subsidies_q(scope: Scope) -> Q:
    if not scope.is_authenticated:
        return NOTHING
    if scope.admin_may("view_all"):
        return EVERYTHING
    return (
        bank_loans_q(scope, "loan__")
        | _ids("loan__enterprise_id", scope.enterprise_ids)
        | managed_schemes_q(scope, "scheme_id")
    )


# --- checks -----------------------------------------------------------------------------


def can_view_loan(user, loan) -> bool:
    from ecosystem.funds.models import Loan

    return Loan.objects.filter(loans_q(scope_of(user)), pk=loan.pk).exists()


def can_report_loan(user, loan) -> bool:
    """The bank side reports a loan's status and payments."""
    from ecosystem.funds.models import Loan

    return Loan.objects.filter(bank_loans_q(scope_of(user)), pk=loan.pk).exists()


def can_open_loan(user, lead) -> bool:
    """The bank side of a disbursed lead opens its loan (``financing``'s rule, on the lead)."""
    from ecosystem.financing.permissions import can_work_lead

    scope = scope_of(user)
    return can_work_lead(user, lead) and not scope.is_platform_admin


def can_view_scheme(user, scheme) -> bool:
    from ecosystem.funds.models import Scheme

    return Scheme.objects.filter(schemes_q(scope_of(user)), pk=scheme.pk).exists()


def can_manage_scheme(user, scheme) -> bool:
    """Fund managers of the scheme: new terms, filings, claims, subsidies."""
    return scope_of(user).manages_scheme(scheme.pk)


def can_create_scheme(user) -> bool:
    """Platform admins, and fund managers (for the owners of the schemes they manage)."""
    scope = scope_of(user)
    return scope.is_platform_admin or bool(scope.scheme_ids)


def scheme_owners_of(user) -> tuple[set[int], set[str]]:
    """(zone ids, body names) owning the schemes ``user`` manages: the owners a fund
    manager may create a new scheme for."""
    from ecosystem.funds.models import Scheme

    rows = Scheme.objects.filter(pk__in=scope_of(user).scheme_ids).values_list(
        "owner_zone_id", "owner_body"
    )
    zones = {zone for zone, _body in rows if zone}
    bodies = {body for zone, body in rows if not zone and body}
    return zones, bodies


def can_appoint_fund_managers(user) -> bool:
    return scope_of(user).is_platform_admin


def can_declare_products(user) -> bool:
    """A bank manager declares the scheme a product of the bank lends under."""
    return bool(scope_of(user).managed_bank_ids)


def can_join_scheme(user, bank) -> bool:
    """A bank's manager accepts a scheme's terms for the bank."""
    return scope_of(user).manages_bank(bank.pk)


def can_view_filing(user, filing) -> bool:
    from ecosystem.funds.models import Filing

    return Filing.objects.filter(filings_q(scope_of(user)), pk=filing.pk).exists()


def can_view_claim(user, claim) -> bool:
    from ecosystem.funds.models import CompensationClaim

    return CompensationClaim.objects.filter(claims_q(scope_of(user)), pk=claim.pk).exists()


def can_view_subsidy(user, subsidy) -> bool:
    from ecosystem.funds.models import SubsidyApplication

    return SubsidyApplication.objects.filter(subsidies_q(scope_of(user)), pk=subsidy.pk).exists()


def can_view_loan_list(user) -> bool:
    """The loans page: the bank side, the firm, fund managers, zone officials (their zones'
    figures, and the rows of firms that share their loans) and admins."""
    scope = scope_of(user)
    return bool(
        scope.enterprise_ids
        or scope.bank_ids
        or scope.scheme_ids
        or scope.zone_ids
        or scope.admin_may("view_all")
    )


def can_view_scheme_list(user) -> bool:
    """Whether the schemes page lists anything for ``user`` (``schemes_q``): staff of banks
    and zones, fund managers and admins; a firm reaches its scheme through its loan."""
    scope = scope_of(user)
    return bool(scope.bank_ids or scope.zone_ids or scope.scheme_ids or scope.admin_may("view_all"))


def can_view_work_list(user) -> bool:
    """Filings, claims and subsidy applications: the bank side, fund managers, firms, admins."""
    scope = scope_of(user)
    return bool(
        scope.bank_ids or scope.scheme_ids or scope.enterprise_ids or scope.admin_may("view_all")
    )


def can_view_fund_dashboard(user) -> bool:
    """Fund managers, zone officials, bank staff (their schemes' figures) and admins."""
    scope = scope_of(user)
    return bool(
        scope.admin_may("view_platform_dashboard")
        or scope.scheme_ids
        or scope.zone_ids
        or scope.managed_bank_ids
    )


def party_of(user, *, loan, scheme) -> set[str]:
    """The workflow parties ``user`` is, for a loan under a scheme."""
    scope = scope_of(user)
    parties = set()
    if loan.bank_id in scope.managed_bank_ids or loan.lead.branch_id in scope.branch_ids:
        parties.add(workflow.BANK)
    if loan.enterprise_id in scope.enterprise_ids:
        parties.add(workflow.ENTERPRISE)
    if scope.manages_scheme(scheme.pk):
        parties.add(workflow.FUND_MANAGER)
    return parties
