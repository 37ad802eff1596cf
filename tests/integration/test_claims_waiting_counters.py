"""The review backlog kept per zone and waiting day (``enterprises.waiting``) stays equal
to a recount, and the zone and platform dashboards' backlog figures to the claim-by-claim
reference below, through every path that moves it, in one seeded random walk over the
real services: claims submitted, taken under review, sent back for information,
resubmitted, rejected and resubmitted, verified, revoked by a dispute; refused moves; an
enterprise moving zone with claims waiting; days passing (the ageing buckets and "over
the zone's target" move with the date alone). Writes past the services are drift that
``rebuild_summaries --check`` reports and ``--waiting`` repairs."""

from __future__ import annotations

import io
import random
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from ecosystem.accounts.models import User
from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import services as es
from ecosystem.enterprises import waiting
from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.enterprises.review.queue import aged_since, review_queue
from ecosystem.enterprises.workflow import AWAITING_DECISION, DISPUTE, ENTERPRISE, ZONE
from ecosystem.enterprises.workflow import ClaimStatus as S
from ecosystem.insights.figures import ageing
from ecosystem.insights.platform import platform_dashboard, zone_rows
from ecosystem.insights.zone import zone_dashboard
from ecosystem.zones.models import RejectionReason, Zone
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    EvidenceFactory,
    PlatformAdminFactory,
    ProgramFactory,
    QualificationClaimFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)
from tests.worlds.lead_walk import Clock
from tests.worlds.leads import client_for
from tests.worlds.zone_moves import move_one_of

pytestmark = pytest.mark.django_db

#: (from, to, party, extra arguments): the moves the walk tries on a random claim.
MOVES = (
    (S.DRAFT, S.SUBMITTED, ENTERPRISE, {}),
    (S.SUBMITTED, S.UNDER_REVIEW, ZONE, {}),
    (S.SUBMITTED, S.NEEDS_INFO, ZONE, {"message": "请补充证书"}),
    (S.UNDER_REVIEW, S.VERIFIED, ZONE, {}),
    (S.UNDER_REVIEW, S.REJECTED, ZONE, {"reason_code": "walk"}),
    (S.NEEDS_INFO, S.RESUBMITTED, ENTERPRISE, {}),
    (S.REJECTED, S.RESUBMITTED, ENTERPRISE, {}),
    (S.RESUBMITTED, S.VERIFIED, ZONE, {}),
    (S.RESUBMITTED, S.UNDER_REVIEW, ZONE, {}),
    (S.SUBMITTED, S.REVOKED, DISPUTE, {}),
    (S.NEEDS_INFO, S.REVOKED, DISPUTE, {}),
)


def reference(zones) -> dict:
    """The backlog claim by claim, as the pages computed it before the counters: per zone
    the claims waiting, those waiting since before the zone's target's local midnight,
    and the ageing buckets; the same over every zone."""
    today = timezone.localdate()
    out, days_all = {}, []
    for zone in zones:
        claims = QualificationClaim.objects.filter(
            enterprise__zone=zone, status__in=AWAITING_DECISION
        )
        since = [claim.submitted_at or claim.created_at for claim in claims]
        cutoff = aged_since(today, zone.review_target_days + 1)
        over = sum(1 for moment in since if cutoff is None or moment < cutoff)
        days = [timezone.localdate(moment) for moment in since]
        days_all += days
        out[zone.pk] = (len(since), over, ageing(days, today=today))
    out[None] = (len(days_all), None, ageing(days_all, today=today))
    return out


def _official_of(zone):
    official = User.objects.filter(memberships__zone=zone).first()
    return official or ZoneOfficialFactory(zone=zone)


def shown(zones) -> dict:
    """The same figures as the dashboards show them."""
    rows = {row.zone.pk: row for row in zone_rows()}
    out = {}
    for zone in zones:
        figures = zone_dashboard(zone=zone)
        row = rows[zone.pk]
        assert row.waiting == figures["waiting"]
        assert row.registered == Enterprise.objects.filter(zone=zone).count()
        out[zone.pk] = (row.waiting, row.waiting_over_target, figures["ageing"])
        # the official's review queue counts its claims from the same counters
        official = _official_of(zone)
        queue = review_queue(user=official, kind="claim")
        assert (queue.count(), queue.overdue_count()) == (row.waiting, row.waiting_over_target)
    everything = platform_dashboard()
    assert len(review_queue(user=PlatformAdminFactory(), kind="claim")) == everything["waiting"]
    assert everything["enterprises"] == Enterprise.objects.count()
    out[None] = (everything["waiting"], None, everything["ageing"])
    return out


class ClaimWalk:
    def __init__(self, clock):
        self.clock = clock
        self.zones = [
            ZoneFactory(review_target_days=days) for days in (0, 3, 10)
        ]  # 0: every waiting claim is over the target
        self.programs = [ProgramFactory(code=f"walk-{n}") for n in range(3)]
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
        made = QualificationClaimFactory(enterprise=enterprise, program=rng.choice(self.programs))
        EvidenceFactory(claim=made)

    def move(self, rng: random.Random) -> None:
        present = set(QualificationClaim.objects.values_list("status", flat=True))
        possible = [m for m in MOVES if m[0] in present]
        if not possible:
            return
        source, to, party, extra = rng.choice(possible)
        claim = rng.choice(list(QualificationClaim.objects.filter(status=source).order_by("pk")))
        if rng.random() < 0.1:  # a move the table refuses: nothing changes
            to = S.EXPIRED
        es.claim_transition(claim=claim, to=to, party=party, **extra)
        self.moved[source, to] += 1

    def zone_move(self, rng: random.Random) -> None:
        waiting_claims = QualificationClaim.objects.filter(status__in=AWAITING_DECISION)
        if move_one_of(rng, waiting_claims, zones=self.zones, members=self.members):
            self.moved["zone"] += 1

    def step(self, rng: random.Random) -> None:
        action = rng.random()
        if action < 0.25:
            self.claim(rng)
        elif action < 0.8:
            self.move(rng)
        elif action < 0.88:
            self.zone_move(rng)
        elif action < 0.93:
            self.add_enterprise(rng.choice(self.zones))
        else:
            self.clock.now += timedelta(days=rng.choice((1, 2, 4, 9)))


@pytest.mark.parametrize("seed", [3, 4])
def test_backlog_counters_and_dashboards_equal_a_recount_through_every_path(monkeypatch, seed):
    rng = random.Random(seed)
    clock = Clock(monkeypatch)
    walk = ClaimWalk(clock)
    zones = list(Zone.objects.filter(pk__in=[z.pk for z in walk.zones]))
    partial = buckets = 0
    for n in range(200):
        try:
            walk.step(rng)
        except ApplicationError:
            pass  # a refused move changes nothing: the checks below say so too
        clock.now += timedelta(minutes=rng.choice((7, 130, 600, 1500)))
        assert waiting.stored() == waiting.recount()
        if n % 8 == 7:
            figures = reference(zones)
            assert shown(zones) == figures
            partial += any(0 < figures[z.pk][1] < figures[z.pk][0] for z in zones)
            buckets = max(buckets, sum(1 for n in figures[None][2].values() if n))
    # A claim submitted in the zone with a 3-day target, another a week later: the zone
    # is partly over its target.
    for days in (7, 0):
        enterprise = Enterprise.objects.filter(zone=walk.zones[1]).first()
        claim = QualificationClaimFactory(enterprise=enterprise, program=walk.programs[0])
        EvidenceFactory(claim=claim)
        es.claim_transition(claim=claim, to=S.SUBMITTED, party=ENTERPRISE)
        clock.now += timedelta(days=days)
    figures = reference(zones)
    assert shown(zones) == figures
    partial += 0 < figures[walk.zones[1].pk][1] < figures[walk.zones[1].pk][0]
    # The walk went through what it is meant to: every kind of move, zone moves, and
    # claims waiting in several zones, a zone's partly over its target, several buckets.
    assert {(m[0], m[1]) for m in MOVES} <= set(walk.moved)
    assert walk.moved["zone"] >= 2
    assert partial and buckets >= 2
    assert sum(1 for z in zones if reference(zones)[z.pk][0]) >= 2
    assert not {k: v for k, v in waiting.drift().items() if v["differing"]}


def test_page_and_api_show_the_counted_backlog(monkeypatch):
    """The platform page's zone table and the zone API read the counters: a claim
    submitted through the service shows on both."""
    walk = ClaimWalk(Clock(monkeypatch))
    enterprise = Enterprise.objects.filter(zone=walk.zones[1]).first()
    claim = QualificationClaimFactory(enterprise=enterprise, program=walk.programs[0])
    EvidenceFactory(claim=claim)
    es.claim_transition(claim=claim, to=S.SUBMITTED, party=ENTERPRISE)
    client = client_for(PlatformAdminFactory())
    response = client.get(reverse("platform_dashboard"))
    rows = {row.zone.pk: row for row in response.context["figures"]["zones"]}
    assert (rows[walk.zones[1].pk].waiting, rows[walk.zones[0].pk].waiting) == (1, 0)
    api = client.get("/api/v1/platform/dashboard/").json()
    assert sum(api["ageing"].values()) == 1


def test_drift_is_reported_and_rebuild_summaries_repairs_it(monkeypatch):
    """A claim submitted or moved back in time past the services is drift;
    ``rebuild_summaries --check`` fails on it, ``--waiting`` repairs it."""
    walk = ClaimWalk(Clock(monkeypatch))
    for n in range(4):
        enterprise = Enterprise.objects.filter(zone=walk.zones[n % 3]).first()
        claim = QualificationClaimFactory(enterprise=enterprise, program=walk.programs[n % 3])
        EvidenceFactory(claim=claim)
        es.claim_transition(claim=claim, to=S.SUBMITTED, party=ENTERPRISE)
    call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    QualificationClaim.objects.filter(status=S.SUBMITTED).update(
        submitted_at=timezone.now() - timedelta(days=20)
    )
    QualificationClaimFactory(enterprise=enterprise, program=walk.programs[1])
    QualificationClaim.objects.filter(status=S.DRAFT).update(status=S.SUBMITTED)
    drift = waiting.drift()
    assert drift["claims_waiting_members"]["differing"] >= 4
    assert drift["claims_waiting_zones"]["differing"] >= 2
    with pytest.raises(CommandError):
        call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    call_command("rebuild_summaries", "--waiting", stdout=io.StringIO())
    call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    zones = list(Zone.objects.filter(pk__in=[z.pk for z in walk.zones]))
    assert shown(zones) == reference(zones)
