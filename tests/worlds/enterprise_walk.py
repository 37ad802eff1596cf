"""A seeded random walk through the services that change an enterprise's stage and verified
status, under a clock moved by days (``Walk``, ``Clock``), with the former SQL counts it is
checked against; used by the stored-stage and ecosystem-funnel recount tests."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from ecosystem.enterprises import services as es
from ecosystem.enterprises import workflow
from ecosystem.enterprises.models import (
    Enterprise,
    QualificationClaim,
)
from ecosystem.enterprises.stage import with_declared_stage
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.insights.platform import platform_dashboard
from ecosystem.insights.zone import zone_dashboard
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    QualificationClaimFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

#: Revenue and headcount on both sides of the growth and maturity thresholds.
REVENUES = [Decimal(v) for v in ("0", "9999999.99", "10000000", "99999999", "100000000")]
EMPLOYEES = [0, 49, 50, 299, 300]


class Clock:
    """``timezone.now`` that the walk moves forward by days."""

    def __init__(self, monkeypatch):
        self.now = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)  # noon in Beijing, no leap day near
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    @property
    def today(self) -> date:
        return timezone.localdate()


def former_stages(zone, on: date) -> dict:
    """The zone's stages as the dashboard counted them before the summary (the oracle)."""
    rows = with_declared_stage(Enterprise.objects.filter(zone=zone), on=on).order_by()
    return {r["stage"]: r["n"] for r in rows.values("stage").annotate(n=Count("pk"))}


def former_verified(zone=None) -> int:
    claims = QualificationClaim.objects.filter(status=ClaimStatus.VERIFIED)
    if zone is not None:
        claims = claims.filter(enterprise__zone=zone)
    return claims.values("enterprise").distinct().count()


def near(rng: random.Random, today: date, years: int) -> date:
    """A founding date within a few days of its ``years``-th anniversary (either side)."""
    return today.replace(year=today.year - years, day=1) + timedelta(days=rng.randint(0, 60))


def founded(rng: random.Random, today: date):
    choice = rng.randrange(5)
    if choice == 0:
        return None
    if choice == 1:
        return today + timedelta(days=rng.randint(1, 20))  # not founded yet
    return near(rng, today, (3, 8, 1 + rng.randrange(10))[choice - 2])


class Walk:
    def __init__(self, rng: random.Random, clock: Clock):
        self.rng, self.clock = rng, clock
        self.zones = [ZoneFactory(), ZoneFactory()]
        self.officials = {z.pk: ZoneOfficialFactory(zone=z) for z in self.zones}
        self.programs = [ProgramFactory(), ProgramFactory()]
        self.enterprises, self.members = [], {}
        for _ in range(12):
            enterprise = EnterpriseFactory(
                zone=rng.choice(self.zones), founded_on=founded(rng, clock.today)
            )
            self.enterprises.append(enterprise)
            self.members[enterprise.pk] = EnterpriseMemberFactory(enterprise=enterprise)

    def figures(self, enterprise) -> None:
        rng = self.rng
        revenue, employees = rng.choice(REVENUES), rng.choice(EMPLOYEES)
        es.financial_year_save(
            enterprise=enterprise,
            actor=self.members[enterprise.pk],
            year=self.clock.today.year - rng.randint(1, 4),
            revenue=revenue,
            total_costs=revenue,
            total_assets=revenue,
            rd_expense=Decimal("0"),
            net_profit=Decimal("0"),
            employees=employees,
            rd_staff=0,
        )

    def profile(self, enterprise) -> None:
        current = Enterprise.objects.get(pk=enterprise.pk)
        changes = {"founded_on": founded(self.rng, self.clock.today)}
        if self.rng.random() < 0.5:
            changes = {"zone": self.rng.choice(self.zones)}
        es.enterprise_update(
            enterprise=current,
            actor=self.members[enterprise.pk],
            expected_version=current.version,
            **changes,
        )

    def claim(self, enterprise) -> None:
        rng = self.rng
        enterprise = Enterprise.objects.get(pk=enterprise.pk)  # its zone now
        verified = list(
            QualificationClaim.objects.filter(enterprise=enterprise, status=ClaimStatus.VERIFIED)
        )
        if verified and rng.random() < 0.5:
            to = rng.choice((ClaimStatus.EXPIRED, ClaimStatus.REVOKED))
            es.claim_transition(claim=rng.choice(verified), to=to, party=workflow.SYSTEM)
            return
        claim = QualificationClaimFactory(
            enterprise=enterprise,
            program=rng.choice(self.programs),
            status=ClaimStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        official = self.officials[enterprise.zone_id]
        es.claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=official)

    def step(self) -> None:
        rng = self.rng
        enterprise = rng.choice(self.enterprises)
        kind = rng.choices(("figures", "profile", "claim", "days"), weights=(4, 2, 2, 2))[0]
        if kind == "days":
            self.clock.now += timedelta(days=rng.choice((1, 3, 30, 90, 200)))
        else:
            getattr(self, kind)(enterprise)

    def check(self) -> None:
        today = self.clock.today
        for zone in self.zones:
            figures = zone_dashboard(zone=zone)
            assert figures["stages"] == former_stages(zone, today), zone
            assert dict(figures["funnel"])["verified"] == former_verified(zone)
        rows = {row.zone.pk: row for row in platform_dashboard()["zones"]}
        for zone in self.zones:
            assert rows[zone.pk].verified == former_verified(zone)
