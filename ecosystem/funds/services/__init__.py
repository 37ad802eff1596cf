"""Every write of the policy funds, by concept: ``loans`` (the loan book), ``loan_rows``
(many status rows at once: upload and API), ``schemes``, ``filings``, ``claims`` and
``subsidies``. Callers use this package's names."""

from ecosystem.funds.services.claims import claim_submit, claim_transition, recovery_record
from ecosystem.funds.services.declarations import scheme_product_declare
from ecosystem.funds.services.filings import filing_submit, filing_transition
from ecosystem.funds.services.loan_rows import LoanRowsResult, loan_rows_upsert
from ecosystem.funds.services.loans import loan_event_record, loan_open, loan_report
from ecosystem.funds.services.schemes import (
    bank_join,
    fund_manager_appoint,
    fund_manager_end,
    scheme_create,
    scheme_version_create,
)
from ecosystem.funds.services.subsidies import subsidy_apply, subsidy_transition

__all__ = [
    "LoanRowsResult",
    "claim_submit",
    "claim_transition",
    "filing_submit",
    "filing_transition",
    "loan_event_record",
    "loan_open",
    "loan_report",
    "loan_rows_upsert",
    "recovery_record",
    "bank_join",
    "fund_manager_appoint",
    "fund_manager_end",
    "scheme_create",
    "scheme_product_declare",
    "scheme_version_create",
    "subsidy_apply",
    "subsidy_transition",
]
