"""The yearly figures awaiting review kept per zone and waiting day
(``enterprises.waiting.YEARS``) stay equal to a recount, and the official's review queue's
count and overdue count to a year-by-year reference, through every path that moves them,
in one seeded random walk over the real services: years declared, unverified figures
changed (they wait since the change), verified or flagged figures changed (unverified
again), the zone's decisions (verified, discrepancy, set back to unverified), refused
saves and decisions, firms moving zone with years waiting, days passing (over the target
moves with the date alone). Writes past the services are drift that ``rebuild_summaries
--check`` reports and ``--waiting`` repairs; the queue's unfiltered count reads the zone
rows, not the years."""

from __future__ import annotations

import importlib
import io
import random
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.core import races
from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import services as es
from ecosystem.enterprises import waiting
from ecosystem.enterprises.models import (
    Enterprise,
    FinancialYear,
    YearsWaitingMember,
    ZoneYearsWaiting,
)
from ecosystem.enterprises.review.queue import aged_since, review_queue
from ecosystem.zones.models import Zone
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    FinancialYearFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)
from tests.worlds.concurrency import race_in_window
from tests.worlds.lead_walk import Clock
from tests.worlds.zone import FIGURES
from tests.worlds.zone_moves import move_one_of

pytestmark = pytest.mark.django_db


def reference(official, zones) -> tuple[int, int]:
    """The official's years awaiting review and those over their zone's target, year by
    year (the queue's queries before the counters, in Python)."""
    today = timezone.localdate()
    n = over = 0
    for zone in zones:
        cutoff = aged_since(today, zone.review_target_days + 1)
        for year in FinancialYear.objects.filter(
            enterprise__zone=zone, verification_status="unverified"
        ):
            n += 1
            over += cutoff is None or year.updated_at < cutoff
    return n, over


def shown(official, **filters) -> tuple[int, int]:
    queue = review_queue(user=official, **filters)
    return queue.count(), queue.overdue_count()


def assert_exact() -> None:
    assert waiting.stored(waiting.YEARS) == waiting.recount(waiting.YEARS)
    assert waiting.stored(waiting.CLAIMS) == waiting.recount(waiting.CLAIMS)


class YearWalk:
    def __init__(self, clock):
        self.clock = clock
        # 0: every waiting year is over the target
        self.zones = [ZoneFactory(review_target_days=days) for days in (0, 3, 10)]
        self.officials = [ZoneOfficialFactory(zone=zone) for zone in self.zones]
        # one official of the first two zones: each zone against its own target
        self.both = ZoneOfficialFactory(zone=self.zones[0])
        Membership.objects.create(user=self.both, role=Role.ZONE_OFFICIAL, zone=self.zones[1])
        self.members = {}
        for zone in self.zones:
            for _ in range(3):
                self.add_enterprise(zone)
        self.done = {}

    def add_enterprise(self, zone) -> None:
        enterprise = EnterpriseFactory(zone=zone)
        self.members[enterprise.pk] = EnterpriseMemberFactory(enterprise=enterprise)

    def did(self, what: str) -> None:
        self.done[what] = self.done.get(what, 0) + 1

    def official_of(self, enterprise):
        return self.officials[[z.pk for z in self.zones].index(enterprise.zone_id)]

    def save(self, rng: random.Random) -> None:
        """A year declared, or one changed (an unverified one waits since the change, a
        verified or flagged one is unverified again); sometimes refused."""
        enterprise = Enterprise.objects.get(pk=rng.choice(sorted(self.members)))
        year = rng.choice((2021, 2022, 2023, 2024))
        current = FinancialYear.objects.filter(enterprise=enterprise, year=year).first()
        figures = {**FIGURES, "revenue": Decimal(rng.randint(1, 10**6) * 100)}
        if rng.random() < 0.1:
            figures["rd_staff"] = 1000  # more than the employees: refused
        es.financial_year_save(
            enterprise=enterprise, actor=self.members[enterprise.pk], year=year, **figures
        )
        self.did("created" if current is None else f"changed {current.verification_status}")

    def decide(self, rng: random.Random) -> None:
        years = list(FinancialYear.objects.order_by("pk"))
        if not years:
            return
        year = rng.choice(years)
        status = rng.choice(("verified", "verified", "discrepancy", "unverified"))
        note = "" if rng.random() < 0.2 else "收入与税单不符"
        official = self.official_of(year.enterprise)
        if rng.random() < 0.05:
            official = rng.choice(self.officials)  # maybe not the firm's zone: refused
        es.financial_year_set_verification(
            financial_year=year, actor=official, status=status, note=note
        )
        self.did(f"{year.verification_status} -> {status}")

    def zone_move(self, rng: random.Random) -> None:
        unverified = FinancialYear.objects.filter(verification_status="unverified")
        if move_one_of(rng, unverified, zones=self.zones, members=self.members):
            self.did("zone move")

    def step(self, rng: random.Random) -> None:
        action = rng.random()
        if action < 0.4:
            self.save(rng)
        elif action < 0.8:
            self.decide(rng)
        elif action < 0.88:
            self.zone_move(rng)
        elif action < 0.92:
            self.add_enterprise(rng.choice(self.zones))
        else:
            self.clock.now += timedelta(days=rng.choice((1, 2, 4, 9)))


def check_queues(walk: YearWalk) -> list[tuple[int, int]]:
    """Every official's unfiltered queue (and its years alone) against the reference;
    the figures seen."""
    zones = {z.pk: z for z in Zone.objects.filter(pk__in=[z.pk for z in walk.zones])}
    seen = []
    for official, of in [(o, [z]) for o, z in zip(walk.officials, walk.zones, strict=True)] + [
        (walk.both, walk.zones[:2])
    ]:
        want = reference(official, [zones[z.pk] for z in of])
        assert shown(official) == want  # no claims in this walk: the years alone
        assert shown(official, kind="financial_year") == want
        # the same queue counted by the queries (a filter that keeps every year)
        assert shown(official, min_age=0, q="") == want
        seen.append(want)
    return seen


@pytest.mark.parametrize("seed", [5, 6])
def test_years_counters_and_the_queue_equal_a_recount_through_every_path(monkeypatch, seed):
    rng = random.Random(seed)
    clock = Clock(monkeypatch)
    walk = YearWalk(clock)
    partial = 0
    for n in range(220):
        try:
            walk.step(rng)
        except ApplicationError:
            walk.did("refused")  # a refused move changes nothing: the checks say so too
        clock.now += timedelta(minutes=rng.choice((7, 130, 600, 1500)))
        assert_exact()
        if n % 10 == 9:
            seen = check_queues(walk)
            partial += any(0 < over < count for count, over in seen)
    # A year declared in the zone with a 3-day target, another a week later: the zone is
    # partly over its target.
    firms = Enterprise.objects.filter(zone=walk.zones[1]).order_by("pk")
    for firm, days in zip(firms, (7, 0), strict=False):
        es.financial_year_save(enterprise=firm, actor=walk.members[firm.pk], year=2020, **FIGURES)
        clock.now += timedelta(days=days)
    seen = check_queues(walk)
    partial += 0 < seen[1][1] < seen[1][0]
    assert_exact()
    # The walk went through what it is meant to.
    assert {
        "created",
        "changed unverified",
        "changed verified",
        "changed discrepancy",
        "unverified -> verified",
        "unverified -> discrepancy",
        "verified -> unverified",
        "zone move",
        "refused",
    } <= set(walk.done), walk.done
    assert walk.done["zone move"] >= 2 and partial
    assert not {k: v for k, v in waiting.drift().items() if v["differing"]}


def test_drift_is_reported_and_rebuild_summaries_repairs_it(monkeypatch):
    """Years saved, moved back in time or decided past the services are drift;
    ``rebuild_summaries --check`` fails on it, ``--waiting`` repairs it."""
    walk = YearWalk(Clock(monkeypatch))
    for firm in Enterprise.objects.filter(pk__in=list(walk.members))[:4]:
        es.financial_year_save(enterprise=firm, actor=walk.members[firm.pk], year=2024, **FIGURES)
    call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    years = FinancialYear.objects.order_by("pk")
    years.filter(pk=years[0].pk).update(updated_at=timezone.now() - timedelta(days=20))
    years.filter(pk=years[1].pk).update(verification_status="verified")
    drift = waiting.drift()
    assert drift["years_waiting_members"]["differing"] >= 2
    assert drift["years_waiting_zones"]["differing"] >= 1
    assert not drift["claims_waiting_members"]["differing"]
    with pytest.raises(CommandError):
        call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    call_command("rebuild_summaries", "--waiting", stdout=io.StringIO())
    call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    check_queues(walk)


def test_the_migration_fills_the_tables_as_a_recount():
    """``enterprises.0019`` fills the new tables from the years (the queue trusts them:
    they are never empty after the deploy)."""
    zones = [ZoneFactory(), ZoneFactory()]
    for n in range(6):
        firm = EnterpriseFactory(zone=zones[n % 2])
        FinancialYearFactory(enterprise=firm, year=2024)
        FinancialYearFactory(enterprise=firm, year=2023, verified=n % 3 == 0)
    FinancialYear.objects.filter(year=2023).update(updated_at=timezone.now() - timedelta(days=3))
    YearsWaitingMember.objects.all().delete()
    ZoneYearsWaiting.objects.all().delete()
    migration = importlib.import_module(
        "ecosystem.enterprises.migrations.0019_years_waiting_counters"
    )
    migration.fill(apps, SimpleNamespace(connection=connection))
    assert waiting.stored(waiting.YEARS) == waiting.recount(waiting.YEARS)
    assert len(waiting.recount(waiting.YEARS)[1]) == 4  # two zones, two days


def test_the_officials_count_reads_the_counters_not_the_years():
    """An official's unfiltered count and overdue count make the same queries for 10 as
    for 1,000 years, none of them over the years' table; filtered, they count the years."""
    small, big = ZoneFactory(review_target_days=2), ZoneFactory(review_target_days=2)
    now = timezone.now()
    for zone, n in ((small, 10), (big, 1000)):
        firms = [EnterpriseFactory(zone=zone) for _ in range((n + 24) // 25)]
        made = FinancialYear.objects.bulk_create(
            FinancialYear(enterprise=firms[i // 25], year=2000 + i % 25, **FIGURES)
            for i in range(n)
        )
        for i, year in enumerate(made):  # spread over 30 days (auto_now: set afterwards)
            year.updated_at = now - timedelta(days=i % 30)
        FinancialYear.objects.bulk_update(made, ["updated_at"])
        waiting.waiting_sync(enterprise_ids=[f.pk for f in firms])  # written past the services
    counted = []
    for zone in (small, big):
        official = ZoneOfficialFactory(zone=zone)
        shown(official)  # the first fills the caches (the calendar): count the second
        with CaptureQueriesContext(connection) as captured:
            queue = review_queue(user=official)
            figures = (queue.count(), queue.overdue_count())
        assert figures == reference(official, [zone])
        assert not [q for q in captured if "enterprises_financialyear" in q["sql"]]
        counted.append(len(captured))
        # filtered: the years themselves are counted (the fallback)
        with CaptureQueriesContext(connection) as captured:
            queue = review_queue(user=official, min_age=1)
            queue.count(), queue.overdue_count()
        assert [q for q in captured if "enterprises_financialyear" in q["sql"]]
    assert counted[0] == counted[1]
    assert reference(official, [big])[0] == 1000


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_decision_waits_for_a_save_of_the_same_firm(require_postgres, monkeypatch):
    """The worst interleaving, forced: a firm's new year is saved and its sync held after
    it read what the firm added, while an official verifies another year of the firm; the
    decision's sync must wait for the first (the bucket lock) and read what it wrote."""
    zone = ZoneFactory()
    firm = EnterpriseFactory(zone=zone)
    member = EnterpriseMemberFactory(enterprise=firm)
    official = ZoneOfficialFactory(zone=zone)
    year = es.financial_year_save(enterprise=firm, actor=member, year=2024, **FIGURES)
    assert_exact()

    def save():
        return es.financial_year_save(enterprise=firm, actor=member, year=2023, **FIGURES)

    def decide():
        return es.financial_year_set_verification(
            financial_year=FinancialYear.objects.get(pk=year.pk), actor=official, status="verified"
        )

    results, held = race_in_window(monkeypatch, races, "waiting_sync", save, decide)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert held == "lock"  # without the lock: "window", and the counters drift
    assert waiting.zone_rows_of(waiting.YEARS, zone_ids=[zone.pk])[0][2] == 1
    assert_exact()
