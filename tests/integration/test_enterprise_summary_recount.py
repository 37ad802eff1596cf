"""The enterprises' stored stages and verified counts (``enterprises.summary``) stay equal
to a recount through every path that changes them: a year of figures saved or changed,
the founding date or the zone changed on the profile, a claim verified, expired or
revoked, and the date moving on (the nightly move). A seeded random walk drives the real
services under a moving clock; at every checkpoint the zone dashboards' stages equal the
former SQL count on that day (``stage.with_declared_stage``), before and after the
nightly move, the verified counts equal a distinct count over the claims, and after the
move the tables equal a recount from scratch."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from ecosystem.enterprises import services as es
from ecosystem.enterprises import summary
from ecosystem.enterprises.models import (
    EnterpriseSummary,
    QualificationClaim,
    ZoneSummary,
)
from ecosystem.enterprises.tasks import refresh_enterprise_stages
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.insights.zone import zone_dashboard
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    QualificationClaimFactory,
    ZoneFactory,
)
from tests.worlds.enterprise_walk import (
    Clock,
    Walk,
    former_stages,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stored_stages_and_verified_counts_equal_a_recount_through_a_random_walk(monkeypatch, seed):
    clock = Clock(monkeypatch)
    walk = Walk(random.Random(seed), clock)
    for n in range(90):
        walk.step()
        if n % 15 == 14:
            walk.check()  # before the nightly move: the dashboards correct stale rows
            refresh_enterprise_stages.delay().get()
            assert not EnterpriseSummary.objects.filter(stage_until__lte=clock.today).exists()
            assert all(not part["differing"] for part in summary.drift().values())
            walk.check()
    assert EnterpriseSummary.objects.exclude(stage="").exists()  # the walk reached figures
    assert EnterpriseSummary.objects.filter(verified=True).exists()


def test_the_nightly_move_takes_a_firm_to_the_stage_its_age_reached(monkeypatch):
    clock = Clock(monkeypatch)
    today = clock.today
    zone = ZoneFactory()
    tomorrow = today + timedelta(days=1)
    # Growth-sized, and three years old tomorrow: a start-up today, growth from tomorrow.
    enterprise = EnterpriseFactory(zone=zone, founded_on=tomorrow.replace(year=2023))
    member = EnterpriseMemberFactory(enterprise=enterprise)
    es.financial_year_save(
        enterprise=enterprise,
        actor=member,
        year=today.year - 1,
        revenue=Decimal("20000000"),
        total_costs=Decimal("1"),
        total_assets=Decimal("1"),
        rd_expense=Decimal("0"),
        net_profit=Decimal("0"),
        employees=60,
        rd_staff=0,
    )
    row = EnterpriseSummary.objects.get(pk=enterprise.pk)
    assert (row.stage, row.stage_until) == ("startup", tomorrow)
    assert ZoneSummary.objects.get(zone=zone).startup == 1

    clock.now += timedelta(days=1)
    # Before the nightly move the dashboard already counts it as growth (stale row corrected).
    assert zone_dashboard(zone=zone)["stages"] == {"growth": 1} == former_stages(zone, tomorrow)
    assert summary.drift()["enterprise_summary"]["differing"] == 1
    assert refresh_enterprise_stages.delay().get() == 1
    row.refresh_from_db()
    assert (row.stage, row.stage_until) == ("growth", None)  # too small for maturity
    counts = ZoneSummary.objects.get(zone=zone)
    assert (counts.startup, counts.growth, counts.maturity) == (0, 1, 0)
    assert all(not part["differing"] for part in summary.drift().values())
    assert refresh_enterprise_stages.delay().get() == 0  # nothing left to move


def test_a_write_past_the_services_is_drift_and_the_rebuild_repairs_it():
    zone = ZoneFactory()
    enterprise = EnterpriseFactory(zone=zone, founded_on=date(2000, 1, 1))
    claim = QualificationClaimFactory(enterprise=enterprise, status=ClaimStatus.VERIFIED)
    assert ZoneSummary.objects.get(zone=zone).verified == 1
    QualificationClaim.objects.filter(pk=claim.pk).update(status=ClaimStatus.REVOKED)
    drift = summary.drift()
    assert drift["enterprise_summary"]["differing"] == 1
    assert drift["zone_summary"]["differing"] == 1
    summary.rebuild()
    assert all(not part["differing"] for part in summary.drift().values())
    assert not EnterpriseSummary.objects.exists()
    assert Counter(ZoneSummary.objects.values_list("verified", flat=True)) in (Counter(), {0: 1})
