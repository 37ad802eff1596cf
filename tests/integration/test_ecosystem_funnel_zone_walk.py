"""A zone's ecosystem funnel read from the counters (``insights.funnel_cells``: the cells
kept by ``financing.ecosystem_summary``, members past ``stage_until`` moved to their stage
on the day read) equals the reference (every enterprise's latest declared year and flags,
``tests.worlds.ecosystem``) through the random walk of ``test_enterprise_summary_recount``:
years saved, founding dates and zones changed, claims verified, expired and revoked, the
clock moving on; checked before the nightly move (rows past their day, corrected at read
time) and after it, for each zone (a zone official) and every zone (a platform admin)."""

from __future__ import annotations

import random

import pytest

from ecosystem.enterprises.tasks import refresh_enterprise_stages
from ecosystem.financing.models import EcosystemMember
from ecosystem.insights.coverage import ecosystem_funnel
from ecosystem.zones.models import Zone
from tests.worlds.ecosystem import plain, reference_funnel
from tests.worlds.enterprise_walk import Clock, Walk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [4, 5])
def test_a_zones_funnel_equals_the_reference_through_a_random_walk(monkeypatch, seed):
    clock = Clock(monkeypatch)
    walk = Walk(random.Random(seed), clock)
    stale_seen = False
    for n in range(90):
        walk.step()
        if n % 15 == 14:
            stale = EcosystemMember.objects.filter(stage_until__lte=clock.today)
            stale_seen = stale_seen or stale.exists()
            for moved in (False, True):
                if moved:
                    refresh_enterprise_stages.delay().get()
                for zones in (
                    Zone.objects.all(),
                    *(Zone.objects.filter(pk=zone.pk) for zone in walk.zones),
                ):
                    got = plain(ecosystem_funnel(zones=zones, today=clock.today))
                    assert got == plain(reference_funnel(zones=zones, today=clock.today)), (
                        seed,
                        n,
                        moved,
                    )
    assert EcosystemMember.objects.exclude(stage="startup").exists()  # the walk left figures
    assert stale_seen  # and rows past their day, read before the nightly move
