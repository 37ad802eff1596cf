from ecosystem.funds.models.claims import CompensationClaim, Recovery, SubsidyApplication
from ecosystem.funds.models.loans import Loan, LoanEvent, LoanReport
from ecosystem.funds.models.schemes import (
    CooperatingBank,
    Filing,
    Scheme,
    SchemeProduct,
    SchemeVersion,
)
from ecosystem.funds.models.sharing import LoanSharing

__all__ = [
    "CompensationClaim",
    "CooperatingBank",
    "Filing",
    "Loan",
    "LoanEvent",
    "LoanReport",
    "LoanSharing",
    "Recovery",
    "Scheme",
    "SchemeProduct",
    "SchemeVersion",
    "SubsidyApplication",
]
