"""The zone pages' world: a submitted claim with evidence and a financial year in a zone,
its officials, an official of another zone, a banker and a stranger; with the helpers
that submit claims and years as an enterprise would."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ecosystem.core.models import AuditEvent
from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import FinancialYear, QualificationClaim
from ecosystem.zones.models import RejectionReason
from ecosystem.zones.reference import REJECTION_REASONS
from tests.factories import (
    BankStaffFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    UserFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)
from tests.worlds.files import PDF


def ensure_rejection_reasons() -> None:
    """The managed reasons come from a data migration, which a transactional (browser)
    test earlier in the session truncates; put them back so each test sees the list."""
    for position, (code, label_zh, label_en) in enumerate(REJECTION_REASONS):
        RejectionReason.objects.get_or_create(
            code=code, defaults={"label_zh": label_zh, "label_en": label_en, "position": position}
        )


FIGURES = {
    "revenue": Decimal("12000000.00"),
    "total_costs": Decimal("9000000.00"),
    "total_assets": Decimal("15000000.00"),
    "rd_expense": Decimal("1500000.00"),
    "net_profit": Decimal("-250000.50"),
    "employees": 80,
    "rd_staff": 30,
}


def submit_claim(zone=None, *, enterprise=None, program=None, files=((PDF, "c.pdf"),)):
    """A claim drafted, given evidence and submitted by a member, as the enterprise would."""
    enterprise = enterprise or EnterpriseFactory(zone=zone)
    member = enterprise.memberships.first()
    member = member.user if member else EnterpriseMemberFactory(enterprise=enterprise)
    claim = es.claim_create(
        enterprise=enterprise,
        actor=member,
        program=program or ProgramFactory(),
        certificate_number="GR202511000123",
        year=2025,
    )
    for content, name in files:
        es.evidence_add(claim=claim, actor=member, upload=SimpleUploadedFile(name, content))
    return es.claim_submit(claim=claim, actor=member), member


def add_year(enterprise, member, year=2024, **changes):
    return es.financial_year_save(
        enterprise=enterprise, actor=member, year=year, **{**FIGURES, **changes}
    )


@dataclass
class World:
    zone: object
    official: object
    colleague: object
    other_official: object
    member: object
    bank: object
    stranger: object
    claim: QualificationClaim
    year: FinancialYear

    def client_for(self, who: str) -> Client:
        return client_of(None if who == "anonymous" else getattr(self, who))


def client_of(user) -> Client:
    """A browser in English (messages are asserted in the source language)."""
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def build_world() -> World:
    zone, other_zone = ZoneFactory(), ZoneFactory()
    claim, member = submit_claim(zone)
    year = add_year(claim.enterprise, member)
    return World(
        zone=zone,
        official=ZoneOfficialFactory(zone=zone),
        colleague=ZoneOfficialFactory(zone=zone),
        other_official=ZoneOfficialFactory(zone=other_zone),
        member=member,
        bank=BankStaffFactory(),
        stranger=UserFactory(),
        claim=claim,
        year=year,
    )


def state(world: World) -> tuple:
    claim = QualificationClaim.objects.get(pk=world.claim.pk)
    year = FinancialYear.objects.get(pk=world.year.pk)
    return claim.status, claim.version, year.verification_status, AuditEvent.objects.count()


def evidence_url(claim) -> str:
    evidence = claim.evidence.first()
    return reverse("evidence_download", args=[claim.enterprise_id, claim.pk, evidence.pk])


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")
