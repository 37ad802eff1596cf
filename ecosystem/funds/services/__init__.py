"""Every write of the policy funds, by concept: ``loans`` (the loan book), ``loan_rows``
(many status rows at once: upload and API), ``schemes``, ``filings``, ``claims`` and
``subsidies``. Callers use this package's names."""

from ecosystem.funds.services.loan_rows import LoanRowsResult, loan_rows_upsert
from ecosystem.funds.services.loans import loan_event_record, loan_open, loan_report

__all__ = [
    "LoanRowsResult",
    "loan_event_record",
    "loan_open",
    "loan_report",
    "loan_rows_upsert",
]
