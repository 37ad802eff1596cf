"""The world the enterprise API tests run in: one enterprise with everything on it (a
year of figures, a financing need, a draft and a verified claim with evidence, a bank's
consent, a pending join request) and one caller of each kind; a client per caller; and
a snapshot of everything a write could touch."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.core.models import AuditEvent
from ecosystem.enterprises import services, workflow
from ecosystem.enterprises.models import (
    AccessLogEntry,
    Consent,
    Enterprise,
    Evidence,
    FinancialYear,
    FinancingNeed,
    JoinRequest,
    QualificationClaim,
)
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.models import Program
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

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
FIGURES = {
    "revenue": "12000000.00",
    "total_costs": "9000000.00",
    "total_assets": "15000000.00",
    "rd_expense": "1500000.00",
    "net_profit": "-250000.50",
    "employees": 80,
    "rd_staff": 30,
    "ip_invention_patents": 2,
    "ip_utility_models": 5,
}


def pdf(name="certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def program(code: str) -> Program:
    return Program.objects.filter(code=code).first() or ProgramFactory(code=code)


# --------------------------------------------------------------------------- world


@dataclass
class World:
    enterprise: Enterprise
    owner: object
    co_owner: object
    member: object
    member_membership: Membership
    year: FinancialYear
    need: FinancingNeed
    draft: QualificationClaim
    draft_evidence: Evidence
    verified: QualificationClaim
    verified_evidence: Evidence
    consent: Consent
    join_request: JoinRequest
    applicant: object
    callers: dict


def build_world() -> World:
    """One enterprise with everything on it, and one caller of each kind."""
    zone = ZoneFactory()
    enterprise = EnterpriseFactory(zone=zone, founded_on=datetime.date(2015, 3, 1))
    owner = EnterpriseMemberFactory(enterprise=enterprise)
    co_owner = EnterpriseMemberFactory(enterprise=enterprise)
    member = UserFactory()
    member_membership = Membership.objects.create(
        user=member, role=Role.ENTERPRISE_MEMBER, enterprise=enterprise
    )
    year = services.financial_year_save(
        enterprise=enterprise,
        actor=owner,
        year=2024,
        **{k: Decimal(v) if isinstance(v, str) else v for k, v in FIGURES.items()},
    )
    need = services.financing_need_create(
        enterprise=enterprise,
        actor=owner,
        amount=Decimal("5000000"),
        term_months=36,
        purpose="production_line",
    )
    draft = services.claim_create(
        enterprise=enterprise,
        actor=owner,
        program=program("hte"),
        certificate_number="GR202411000123",
        year=2024,
        valid_until=datetime.date(2027, 12, 31),
    )
    draft_evidence = services.evidence_add(claim=draft, actor=owner, upload=pdf())
    verified = services.claim_create(
        enterprise=enterprise,
        actor=owner,
        program=program("tsme"),
        certificate_number="2024110108A000123",
        year=2024,
    )
    verified_evidence = services.evidence_add(claim=verified, actor=owner, upload=pdf())
    services.claim_submit(claim=verified, actor=owner)
    verified = services.claim_transition(
        claim=verified, to=ClaimStatus.VERIFIED, party=workflow.REGISTRY
    )
    # An RM of the branch serving the zone: the bank's consented firms of the branch.
    bank_user = BankStaffFactory(branch=BranchFactory(zones=[zone]))
    bank = Membership.objects.get(user=bank_user).bank
    consent = services.consent_grant(
        enterprise=enterprise, actor=owner, bank=bank, purpose=Consent.Purpose.FINANCING
    )
    applicant = UserFactory()
    join_request = JoinRequest.objects.create(enterprise=enterprise, user=applicant)
    callers = {
        "anonymous": None,
        "other_member": EnterpriseMemberFactory(enterprise=EnterpriseFactory(zone=zone)),
        "other_zone": ZoneOfficialFactory(zone=ZoneFactory()),
        "bank_no_consent": BankStaffFactory(),
        "zone_same": ZoneOfficialFactory(zone=zone),
        "bank_consent": bank_user,
        "member": owner,
    }
    return World(
        enterprise=enterprise,
        owner=owner,
        co_owner=co_owner,
        member=member,
        member_membership=member_membership,
        year=year,
        need=need,
        draft=draft,
        draft_evidence=draft_evidence,
        verified=verified,
        verified_evidence=verified_evidence,
        consent=consent,
        join_request=join_request,
        applicant=applicant,
        callers=callers,
    )


def client_for(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def state(world: World) -> dict:
    """Everything a write could touch, to show a denied call changed nothing."""
    e = Enterprise.objects.get(pk=world.enterprise.pk)
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (
                Enterprise,
                FinancialYear,
                FinancingNeed,
                QualificationClaim,
                Evidence,
                Consent,
                JoinRequest,
                Membership,
                AccessLogEntry,
                AuditEvent,
            )
        },
        "enterprise": (e.name, e.version, e.description),
        "years": list(FinancialYear.objects.values_list("year", "version", "revenue")),
        "needs": list(FinancingNeed.objects.values_list("pk", "status")),
        "claims": list(
            QualificationClaim.objects.values_list("pk", "status", "version", "certificate_number")
        ),
        "evidence": list(Evidence.objects.values_list("pk", "claim_id")),
        "consents": list(Consent.objects.values_list("pk", "revoked_at")),
        "join_requests": list(JoinRequest.objects.values_list("pk", "status")),
        "memberships": list(Membership.objects.values_list("pk", "role", "is_active")),
    }


def base(w: World) -> str:
    return f"/api/v1/enterprises/{w.enterprise.pk}/"
