"""Enterprise models: the record an enterprise fills in once and every later step reads."""

from ecosystem.enterprises.models.claims import ClaimRevision, Evidence, QualificationClaim
from ecosystem.enterprises.models.consent import AccessLogEntry, Consent
from ecosystem.enterprises.models.enterprise import Enterprise, JoinRequest, OnboardingDraft
from ecosystem.enterprises.models.figures import FinancialYear, FinancingNeed
from ecosystem.enterprises.models.identity import (
    Dispute,
    IdentityCheck,
    IdentityDocument,
    NameFlag,
)
from ecosystem.enterprises.models.name_match import NameMatch
from ecosystem.enterprises.models.reference import IndustryDivision, IndustrySection
from ecosystem.enterprises.models.summary import (
    ClaimsWaitingMember,
    EnterpriseSummary,
    ProgramVerifiedMember,
    YearsWaitingMember,
    ZoneClaimsWaiting,
    ZoneProgramVerified,
    ZoneSummary,
    ZoneYearsWaiting,
)

__all__ = [
    "AccessLogEntry",
    "ClaimRevision",
    "Consent",
    "Dispute",
    "Enterprise",
    "ClaimsWaitingMember",
    "EnterpriseSummary",
    "Evidence",
    "FinancialYear",
    "FinancingNeed",
    "IdentityCheck",
    "IdentityDocument",
    "IndustryDivision",
    "IndustrySection",
    "JoinRequest",
    "NameFlag",
    "NameMatch",
    "OnboardingDraft",
    "ProgramVerifiedMember",
    "QualificationClaim",
    "ZoneClaimsWaiting",
    "ZoneProgramVerified",
    "ZoneSummary",
    "ZoneYearsWaiting",
    "YearsWaitingMember",
]
