"""Enterprise writes. Every function is keyword-only, runs in one transaction, checks the
actor's right to act and records an audit event; views, the API and tasks call these."""

from ecosystem.enterprises.services.claims import (
    claim_create,
    claim_submit,
    claim_transition,
    claim_update,
    claims_expire,
    evidence_add,
    evidence_add_many,
    evidence_remove,
)
from ecosystem.enterprises.services.consent import (
    access_log_record,
    access_log_record_many,
    access_log_record_query,
    consent_grant,
    consent_revoke,
)
from ecosystem.enterprises.services.figures import (
    financial_year_save,
    financial_year_set_verification,
    financing_need_close,
    financing_need_create,
)
from ecosystem.enterprises.services.members import (
    join_request_cancel,
    join_request_decide,
    member_leave,
    member_remove,
    ownership_transfer,
)
from ecosystem.enterprises.services.registration import (
    RegistrationResult,
    enterprise_register,
    enterprise_update,
    onboarding_draft_clear,
    onboarding_draft_save,
)

__all__ = [
    "RegistrationResult",
    "access_log_record",
    "access_log_record_many",
    "access_log_record_query",
    "claim_create",
    "claim_submit",
    "claim_transition",
    "claim_update",
    "claims_expire",
    "consent_grant",
    "consent_revoke",
    "enterprise_register",
    "enterprise_update",
    "evidence_add",
    "evidence_add_many",
    "evidence_remove",
    "financial_year_save",
    "financial_year_set_verification",
    "financing_need_close",
    "financing_need_create",
    "join_request_cancel",
    "join_request_decide",
    "member_leave",
    "member_remove",
    "onboarding_draft_clear",
    "onboarding_draft_save",
    "ownership_transfer",
]
