"""The enterprise pages' world: an enterprise with an owner and co-owner, a join request,
a financial year, a financing need, a claim with evidence and a consent, and one user of
every kind; with the figures, uploads and the state a denied request must not change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ecosystem.accounts.models import Invitation, Membership
from ecosystem.accounts.roles import Role
from ecosystem.core.models import AuditEvent, Notification
from ecosystem.enterprises import services
from ecosystem.enterprises.models import (
    AccessLogEntry,
    ClaimRevision,
    Consent,
    Enterprise,
    Evidence,
    FinancialYear,
    FinancingNeed,
    JoinRequest,
    OnboardingDraft,
    QualificationClaim,
)
from tests.factories import (
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    UserFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)
from tests.worlds.files import PDF_DOCUMENT as PDF

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


LAST_YEAR = timezone.localdate().year - 1


FIGURES = {
    "revenue": Decimal("12345678.90"),
    "total_costs": Decimal("10000000.00"),
    "total_assets": Decimal("8000000.00"),
    "rd_expense": Decimal("1500000.00"),
    "net_profit": Decimal("2345678.90"),
    "employees": 80,
    "rd_staff": 30,
    "ip_invention_patents": 2,
    "ip_software_copyrights": 5,
}


FIGURE_POST = {k: str(v) for k, v in FIGURES.items()}


def fast_passwords(settings) -> None:
    """Hash passwords with MD5: the pages sign users in and up many times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pdf(name="certificate.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class World:
    enterprise: Enterprise
    owner: object
    co_owner_membership: Membership
    applicant: object
    join_request: JoinRequest
    year: FinancialYear
    need: FinancingNeed
    claim: QualificationClaim
    evidence: Evidence
    consent: Consent
    banker: object
    users: dict


def build_world() -> World:
    zone, other_zone = ZoneFactory(), ZoneFactory()
    enterprise = EnterpriseFactory(zone=zone, founded_on=date(2015, 6, 1))
    owner = EnterpriseMemberFactory(enterprise=enterprise)
    co_owner = UserFactory()
    co_owner_membership = Membership.objects.create(
        user=co_owner, role=Role.ENTERPRISE_OWNER, enterprise=enterprise
    )
    year = services.financial_year_save(
        enterprise=enterprise, actor=owner, year=LAST_YEAR, **FIGURES
    )
    need = services.financing_need_create(
        enterprise=enterprise,
        actor=owner,
        amount=Decimal("5000000"),
        term_months=24,
        purpose="production_line",
    )
    claim = services.claim_create(
        enterprise=enterprise,
        actor=owner,
        program=ProgramFactory(code="tsme"),
        certificate_number="2024110108A0001",
        year=LAST_YEAR,
        valid_until=date(LAST_YEAR + 3, 12, 31),
    )
    evidence = services.evidence_add(claim=claim, actor=owner, upload=pdf())
    applicant = UserFactory()
    join_request = services.enterprise_register(user=applicant, uscc=enterprise.uscc).join_request
    banker = BankStaffFactory(branch=BranchFactory(zones=[zone]))
    consent = services.consent_grant(
        enterprise=enterprise, actor=owner, bank=banker.memberships.get().bank, purpose="financing"
    )
    users = {
        "anonymous": None,
        "owner": owner,
        "other_member": EnterpriseMemberFactory(enterprise=EnterpriseFactory(zone=zone)),
        "other_zone_official": ZoneOfficialFactory(zone=other_zone),
        "bank_without_consent": BankStaffFactory(branch=BranchFactory(zones=[zone])),
        "zone_official": ZoneOfficialFactory(zone=zone),
        "bank_with_consent": banker,
    }
    return World(
        enterprise, owner, co_owner_membership, applicant, join_request, year, need, claim,
        evidence, consent, banker, users,
    )  # fmt: skip


def state():
    """Everything a denied request could have changed, including files on disk."""
    models = [
        Enterprise, FinancialYear, FinancingNeed, QualificationClaim, Evidence, ClaimRevision,
        Membership, JoinRequest, Consent, AccessLogEntry, Invitation, AuditEvent, Notification,
        OnboardingDraft,
    ]  # fmt: skip
    snapshot = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    root = settings.PRIVATE_MEDIA_ROOT
    snapshot["files"] = sorted(str(p) for p in root.rglob("*")) if root.exists() else []
    return snapshot


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def english(user) -> Client:
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
