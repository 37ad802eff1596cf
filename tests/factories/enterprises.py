"""What an enterprise keeps on the platform: yearly figures, financing needs,
qualification claims with their evidence, consents to banks and join requests.

The factories write rows directly, in states the services would leave them in; a test
that is about a transition goes through the service instead."""

import hashlib
from decimal import Decimal

import factory
from django.utils import timezone

from ecosystem.enterprises.models import (
    Consent,
    Evidence,
    FinancialYear,
    FinancingNeed,
    JoinRequest,
    QualificationClaim,
)
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories.people import EnterpriseFactory, ProgramFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _summarised(cls, model_class, *args, **kwargs):
    """Saved and counted in the enterprise's stage and verified rows
    (``enterprises.summary``), its claims waiting (``enterprises.waiting``), its verified
    programs (``enterprises.verified_programs``) and the chain view's counters, as the
    figure and claim services do."""
    from ecosystem.enterprises.summary import summary_sync
    from ecosystem.enterprises.verified_programs import verified_sync
    from ecosystem.enterprises.waiting import waiting_sync
    from ecosystem.financing.coverage_summary import coverage_sync

    made = factory.django.DjangoModelFactory._create.__func__(cls, model_class, *args, **kwargs)
    summary_sync(enterprise_ids=[made.enterprise_id])
    waiting_sync(enterprise_ids=[made.enterprise_id])
    verified_sync(enterprise_ids=[made.enterprise_id])
    coverage_sync(enterprise_ids=[made.enterprise_id])
    return made


class FinancialYearFactory(factory.django.DjangoModelFactory):
    """One year of figures (R&D within costs, R&D staff within employees), unverified."""

    class Meta:
        model = FinancialYear

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2025
    revenue = Decimal("12000000.00")
    total_costs = Decimal("9000000.00")
    total_assets = Decimal("15000000.00")
    rd_expense = Decimal("1500000.00")
    net_profit = Decimal("250000.00")
    employees = 80
    rd_staff = 30

    class Params:
        verified = factory.Trait(verification_status="verified")

    _create = classmethod(_summarised)


class FinancingNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancingNeed

    enterprise = factory.SubFactory(EnterpriseFactory)
    amount = Decimal("5000000.00")
    term_months = 24
    purpose = FinancingNeed.Purpose.WORKING_CAPITAL


class QualificationClaimFactory(factory.django.DjangoModelFactory):
    """A draft claim; ``status=ClaimStatus.VERIFIED`` for one a zone has accepted."""

    class Meta:
        model = QualificationClaim

    enterprise = factory.SubFactory(EnterpriseFactory)
    program = factory.SubFactory(ProgramFactory)
    certificate_number = factory.Sequence(lambda n: f"GR2025{n:07d}")
    year = 2025
    status = ClaimStatus.DRAFT

    _create = classmethod(_summarised)


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A PDF on a claim, stored in the (per-test) private media root."""

    class Meta:
        model = Evidence

    claim = factory.SubFactory(QualificationClaimFactory)
    file = factory.django.FileField(filename="certificate.pdf", data=PDF)
    original_name = "certificate.pdf"
    kind = Evidence.Kind.PDF
    size = len(PDF)
    sha256 = hashlib.sha256(PDF).hexdigest()


class ConsentFactory(factory.django.DjangoModelFactory):
    """An active consent for a bank to see the enterprise for financing."""

    class Meta:
        model = Consent

    enterprise = factory.SubFactory(EnterpriseFactory)
    bank = factory.SubFactory("tests.factories.people.BankFactory")
    purpose = Consent.Purpose.FINANCING
    text_version = "1"
    granted_at = factory.LazyFunction(timezone.now)

    class Params:
        revoked = factory.Trait(revoked_at=factory.LazyFunction(timezone.now))


class JoinRequestFactory(factory.django.DjangoModelFactory):
    """Someone asks to join a registered enterprise; pending."""

    class Meta:
        model = JoinRequest

    enterprise = factory.SubFactory(EnterpriseFactory)
    user = factory.SubFactory(UserFactory)
