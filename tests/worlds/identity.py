"""A squatter's world for the identity tests: a real company's code on an official list,
registered by someone else under another name, with a claim waiting."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from ecosystem.enterprises import services as es
from ecosystem.registries.models import RegistryEntry
from tests.factories import (
    ProgramFactory,
    UserFactory,
    ZoneFactory,
    ZoneOfficialFactory,
    make_uscc,
)
from tests.worlds.files import PDF

REAL_NAME = "北京真实芯片科技有限公司"
SQUAT_NAME = "冒名科技有限公司"
CERTIFICATE = "GR202511000777"


def documents() -> dict:
    """A business licence and a letter of authorisation, as uploads."""
    return {
        "licence": SimpleUploadedFile("licence.pdf", PDF),
        "letter": SimpleUploadedFile("letter.pdf", PDF),
    }


def submit_claim(enterprise, member, program, certificate: str = CERTIFICATE):
    claim = es.claim_create(
        enterprise=enterprise,
        actor=member,
        program=program,
        certificate_number=certificate,
        year=2025,
    )
    es.evidence_add(claim=claim, actor=member, upload=SimpleUploadedFile("c.pdf", PDF))
    return es.claim_submit(claim=claim, actor=member)


@dataclass
class Squat:
    zone: object
    official: object
    program: object
    entry: RegistryEntry
    uscc: str
    squatter: object
    enterprise: object


def squat(*, name: str = SQUAT_NAME, serial: int = 77_001) -> Squat:
    """The official list has ``REAL_NAME`` under a code; a stranger registers that code
    under ``name`` through the ordinary registration service."""
    zone = ZoneFactory()
    official = ZoneOfficialFactory(zone=zone)
    program = ProgramFactory()
    uscc = make_uscc(serial)
    entry = RegistryEntry.objects.create(
        program=program,
        batch="2025年第一批",
        uscc=uscc,
        name=REAL_NAME,
        certificate_number=CERTIFICATE,
    )
    squatter = UserFactory()
    result = es.enterprise_register(user=squatter, uscc=uscc, name=name, zone=zone)
    return Squat(zone, official, program, entry, uscc, squatter, result.enterprise)
