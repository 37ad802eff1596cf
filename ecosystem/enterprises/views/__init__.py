"""Enterprise pages. Views parse input and call services and selectors; objects are
fetched only through the scoped selectors, so what a user may not see is a 404."""

from ecosystem.enterprises.views.claims import (
    claim_create,
    claim_detail,
    claim_edit,
    claim_list,
    claim_submit,
    evidence_download,
    evidence_remove,
    evidence_upload,
)
from ecosystem.enterprises.views.consent import (
    access_log,
    consent_grant,
    consent_list,
    consent_revoke,
)
from ecosystem.enterprises.views.figures import (
    financial_year_add,
    financial_year_edit,
    financial_year_list,
    financing_need_add,
    financing_need_close,
    financing_need_list,
)
from ecosystem.enterprises.views.members import (
    join_request_decide,
    member_invite,
    member_leave,
    member_list,
    member_remove,
    ownership_transfer,
)
from ecosystem.enterprises.views.mine import join_request_cancel, my_enterprises
from ecosystem.enterprises.views.onboarding import (
    onboarding_autosave,
    onboarding_join,
    onboarding_start,
    onboarding_step,
    onboarding_uscc_check,
)
from ecosystem.enterprises.views.profile import enterprise_detail, enterprise_edit, self_assessment

__all__ = [
    "access_log",
    "claim_create",
    "claim_detail",
    "claim_edit",
    "claim_list",
    "claim_submit",
    "consent_grant",
    "consent_list",
    "consent_revoke",
    "enterprise_detail",
    "enterprise_edit",
    "evidence_download",
    "evidence_remove",
    "evidence_upload",
    "financial_year_add",
    "financial_year_edit",
    "financial_year_list",
    "financing_need_add",
    "financing_need_close",
    "financing_need_list",
    "join_request_cancel",
    "join_request_decide",
    "member_invite",
    "member_leave",
    "member_list",
    "member_remove",
    "my_enterprises",
    "onboarding_autosave",
    "onboarding_join",
    "onboarding_start",
    "onboarding_step",
    "onboarding_uscc_check",
    "ownership_transfer",
    "self_assessment",
]
