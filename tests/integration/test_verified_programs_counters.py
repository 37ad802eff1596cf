"""The verified enterprises kept per zone and program (``enterprises.verified_programs``)
stay equal to a recount, and the zone dashboard's programs table (page and API) to the
claim-by-claim count below, through every path that moves them, in one seeded random walk
over the real services: claims verified by the zone and by the registry, revoked,
expired, rejected and resubmitted, a second verified claim of a program the enterprise
already holds, refused moves, an enterprise moving zone with verified claims. Writes
past the services are drift that ``rebuild_summaries --check`` reports and
``--verified-programs`` repairs."""

from __future__ import annotations

import io
import random
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import services as es
from ecosystem.enterprises import verified_programs
from ecosystem.enterprises.models import Enterprise, QualificationClaim, ZoneProgramVerified
from ecosystem.enterprises.workflow import DISPUTE, ENTERPRISE, REGISTRY, SYSTEM, ZONE
from ecosystem.enterprises.workflow import ClaimStatus as S
from ecosystem.financing.summary_recount import summaries_drift
from ecosystem.insights.zone import zone_dashboard
from ecosystem.zones.models import RejectionReason
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    EvidenceFactory,
    ProgramFactory,
    QualificationClaimFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)
from tests.worlds.leads import client_for
from tests.worlds.zone_moves import move_one_of

pytestmark = pytest.mark.django_db

#: (from, to, party, extra arguments): the moves the walk tries on a random claim.
MOVES = (
    (S.DRAFT, S.SUBMITTED, ENTERPRISE, {}),
    (S.SUBMITTED, S.UNDER_REVIEW, ZONE, {}),
    (S.SUBMITTED, S.VERIFIED, REGISTRY, {}),
    (S.UNDER_REVIEW, S.VERIFIED, ZONE, {}),
    (S.UNDER_REVIEW, S.REJECTED, ZONE, {"reason_code": "walk"}),
    (S.REJECTED, S.RESUBMITTED, ENTERPRISE, {}),
    (S.RESUBMITTED, S.VERIFIED, ZONE, {}),
    (S.VERIFIED, S.REVOKED, REGISTRY, {}),
    (S.VERIFIED, S.REVOKED, DISPUTE, {}),
    (S.VERIFIED, S.EXPIRED, SYSTEM, {}),
)


def reference(zones) -> dict:
    """{zone id: {program code: enterprises}}: the zone's enterprises with a verified
    claim of each program, counted claim by claim (an enterprise once per program)."""
    held = defaultdict(set)
    claims = QualificationClaim.objects.filter(status=S.VERIFIED).select_related(
        "enterprise", "program"
    )
    for claim in claims:
        held[claim.enterprise.zone_id, claim.program.code].add(claim.enterprise_id)
    return {
        zone.pk: {code: len(firms) for (z, code), firms in held.items() if z == zone.pk}
        for zone in zones
    }


def shown(zones) -> dict:
    """The programs table as the zone dashboard computes it: in program code order, with
    the program's names."""
    out = {}
    for zone in zones:
        rows = zone_dashboard(zone=zone)["programs"]
        assert [row["program__code"] for row in rows] == sorted(r["program__code"] for r in rows)
        for row in rows:
            program = QualificationClaim.objects.filter(program__code=row["program__code"])
            names = program.values_list("program__name_zh", "program__name_en").first()
            assert (row["program__name_zh"], row["program__name_en"]) == names
        out[zone.pk] = {row["program__code"]: row["enterprises"] for row in rows}
    return out


class VerifiedWalk:
    def __init__(self):
        self.zones = [ZoneFactory() for _ in range(3)]
        self.programs = [ProgramFactory(code=f"vp-{n}") for n in (2, 0, 1)]
        self.members = {}
        RejectionReason.objects.create(code="walk", label_zh="不符", label_en="no")
        for zone in self.zones:
            for _ in range(3):
                self.add_enterprise(zone)
        self.moved = Counter()

    def add_enterprise(self, zone) -> None:
        enterprise = EnterpriseFactory(zone=zone)
        self.members[enterprise.pk] = EnterpriseMemberFactory(enterprise=enterprise)

    def claim(self, rng: random.Random) -> None:
        enterprise = Enterprise.objects.get(pk=rng.choice(sorted(self.members)))
        program = rng.choice(self.programs)
        if rng.random() < 0.3:
            # Verified at once, as the factory saves it and the services count it: often a
            # second verified claim of a program the enterprise already holds.
            held = list(
                QualificationClaim.objects.filter(status=S.VERIFIED)
                .order_by("pk")
                .select_related("enterprise", "program")
            )
            if held and rng.random() < 0.5:
                again = rng.choice(held)
                enterprise, program = again.enterprise, again.program
            QualificationClaimFactory(enterprise=enterprise, program=program, status=S.VERIFIED)
            self.moved["verified claim added"] += 1
            return
        made = QualificationClaimFactory(enterprise=enterprise, program=program)
        EvidenceFactory(claim=made)

    def move(self, rng: random.Random) -> None:
        present = set(QualificationClaim.objects.values_list("status", flat=True))
        possible = [m for m in MOVES if m[0] in present]
        if not possible:
            return
        source, to, party, extra = rng.choice(possible)
        claim = rng.choice(list(QualificationClaim.objects.filter(status=source).order_by("pk")))
        if rng.random() < 0.1:  # a move the table refuses: nothing changes
            to = S.DRAFT
        es.claim_transition(claim=claim, to=to, party=party, **extra)
        self.moved[source, to, party] += 1

    def zone_move(self, rng: random.Random) -> None:
        verified = QualificationClaim.objects.filter(status=S.VERIFIED)
        if move_one_of(rng, verified, zones=self.zones, members=self.members):
            self.moved["zone"] += 1

    def step(self, rng: random.Random) -> None:
        action = rng.random()
        if action < 0.3:
            self.claim(rng)
        elif action < 0.85:
            self.move(rng)
        elif action < 0.95:
            self.zone_move(rng)
        else:
            self.add_enterprise(rng.choice(self.zones))


@pytest.mark.parametrize("seed", [5, 6])
def test_verified_program_counters_and_dashboard_equal_a_recount_through_every_path(seed):
    rng = random.Random(seed)
    walk = VerifiedWalk()
    zones = walk.zones
    most = twice = zones_with = 0
    codes: set = set()
    for n in range(220):
        try:
            walk.step(rng)
        except ApplicationError:
            pass  # a refused move changes nothing: the checks below say so too
        assert verified_programs.stored() == verified_programs.recount()
        held = list(
            QualificationClaim.objects.filter(status=S.VERIFIED)
            .values_list("enterprise_id", "program_id")
            .order_by()
        )
        twice += len(held) > len(set(held))  # an enterprise holds a program twice
        if n % 10 == 9:
            figures = reference(zones)
            assert shown(zones) == figures
            most = max([most, *(k for zone in figures.values() for k in zone.values())])
            zones_with = max(zones_with, sum(1 for zone in figures.values() if zone))
            codes |= {code for zone in figures.values() for code in zone}
    # The walk went through what it is meant to: every kind of move, zone moves of
    # enterprises with verified claims, second verified claims of a program, and at the
    # checks several zones and programs with verified enterprises, a program with two.
    assert {(m[0], m[1], m[2]) for m in MOVES} <= set(walk.moved)
    assert walk.moved["zone"] >= 2 and walk.moved["verified claim added"] >= 2
    assert twice >= 10
    assert zones_with >= 2 and len(codes) >= 2 and most >= 2
    assert not {k: v for k, v in verified_programs.drift().items() if v["differing"]}


def test_page_and_api_show_the_counted_programs():
    """The zone dashboard page and API read the counters: a claim verified through the
    service shows on both, a revoked one leaves them."""
    walk = VerifiedWalk()
    zone = walk.zones[0]
    official = ZoneOfficialFactory(zone=zone)
    enterprise = Enterprise.objects.filter(zone=zone).first()
    claim = QualificationClaimFactory(enterprise=enterprise, program=walk.programs[0])
    EvidenceFactory(claim=claim)
    es.claim_transition(claim=claim, to=S.SUBMITTED, party=ENTERPRISE)
    es.claim_transition(claim=claim, to=S.VERIFIED, actor=official)
    page = client_for(official).get(reverse("zone_dashboard") + f"?zone={zone.pk}")
    assert page.context["tables"]["programs"]["rows"] == [
        [walk.programs[0].code, walk.programs[0].name_zh, 1]
    ]
    api = APIClient()
    api.force_authenticate(official)
    body = api.get("/api/v1/zones/dashboard/", {"zone": zone.pk}).json()
    assert body["programs"] == [
        {
            "program": walk.programs[0].code,
            "name_zh": walk.programs[0].name_zh,
            "name_en": walk.programs[0].name_en,
            "enterprises": 1,
        }
    ]
    es.claim_transition(claim=claim, to=S.REVOKED, party=REGISTRY)
    assert api.get("/api/v1/zones/dashboard/", {"zone": zone.pk}).json()["programs"] == []


def test_drift_is_reported_and_rebuild_summaries_repairs_it():
    """A verified claim's program changed, or a zone row written, past the services is
    drift; ``rebuild_summaries --check`` fails on it, ``--verified-programs`` repairs it."""
    walk = VerifiedWalk()
    firms = list(Enterprise.objects.filter(zone=walk.zones[0]).order_by("pk"))
    first, second, third = walk.programs
    for firm, program in zip(firms, (first, second, first), strict=True):
        QualificationClaimFactory(enterprise=firm, program=program, status=S.VERIFIED)
    call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    QualificationClaim.objects.filter(enterprise=firms[1]).update(program=third)
    ZoneProgramVerified.objects.filter(zone=walk.zones[0], program=first).update(enterprises=5)
    drift = summaries_drift()
    assert drift["verified_program_members"]["differing"] == 2  # (firm, second), (firm, third)
    assert drift["verified_program_zones"]["differing"] == 3
    with pytest.raises(CommandError):
        call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rebuild_summaries", "--verified-programs", stdout=out)
    assert "3 verified_program_member_rows" in out.getvalue()
    call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    assert shown(walk.zones) == reference(walk.zones)
    assert reference(walk.zones)[walk.zones[0].pk] == {first.code: 2, third.code: 1}
