"""Factories for every model a test builds directly, by app: people and roles (with the
zones, programs, banks, branches and enterprises they are scoped to), enterprises'
figures, claims and consents, registries, financing and chains.

``tests/unit/test_factories.py`` builds each one and names every model of the ecosystem
apps that has no factory and no reason to be left out."""

from tests.factories.chains import (
    ChainFactory,
    ChainLeaderFactory,
    ChainNodeFactory,
    EnterpriseNodeFactory,
    SupplierLinkFactory,
)
from tests.factories.enterprises import (
    ConsentFactory,
    EvidenceFactory,
    FinancialYearFactory,
    FinancingNeedFactory,
    JoinRequestFactory,
    QualificationClaimFactory,
)
from tests.factories.financing import (
    CampaignFactory,
    CampaignInvitationFactory,
    DisbursementFactory,
    LeadFactory,
    LeadNoteFactory,
    MatchFactory,
    OfferFactory,
    ProductFactory,
    ProductVersionFactory,
)
from tests.factories.people import (
    PASSWORD,
    BankFactory,
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    InvitationFactory,
    PlatformAdminFactory,
    ProgramFactory,
    RegistryOfficerFactory,
    UserFactory,
    ZoneFactory,
    ZoneOfficialFactory,
    api_key_for,
    has_totp,
    make_uscc,
)
from tests.factories.registries import ListImportFactory, NameMatchFactory, RegistryEntryFactory

__all__ = [
    "PASSWORD",
    "api_key_for",
    "BankFactory",
    "BankManagerFactory",
    "BankStaffFactory",
    "BranchFactory",
    "CampaignFactory",
    "CampaignInvitationFactory",
    "ChainFactory",
    "ChainLeaderFactory",
    "ChainNodeFactory",
    "ConsentFactory",
    "DisbursementFactory",
    "EnterpriseFactory",
    "EnterpriseMemberFactory",
    "EnterpriseNodeFactory",
    "EvidenceFactory",
    "FinancialYearFactory",
    "FinancingNeedFactory",
    "InvitationFactory",
    "JoinRequestFactory",
    "LeadFactory",
    "LeadNoteFactory",
    "ListImportFactory",
    "NameMatchFactory",
    "MatchFactory",
    "OfferFactory",
    "PlatformAdminFactory",
    "ProductFactory",
    "ProductVersionFactory",
    "ProgramFactory",
    "QualificationClaimFactory",
    "RegistryEntryFactory",
    "RegistryOfficerFactory",
    "SupplierLinkFactory",
    "UserFactory",
    "ZoneFactory",
    "ZoneOfficialFactory",
    "has_totp",
    "make_uscc",
]
