"""A zone's ecosystem funnel looked up per enterprise (``funnel_cells._probe_joins``: the
stages and verified flags of the ``EnterpriseSummary`` rows the services keep, the latest
year only for rows past ``stage_until``) equals the reference statements (the latest
declared year and the verified claims of every enterprise, hash joins) through the random
walk of ``test_enterprise_summary_recount``: years saved, founding dates and zones changed,
claims verified, expired and revoked, the clock moving on; checked before the nightly move
(rows past their day, corrected at read time) and after it."""

from __future__ import annotations

import random

import pytest

from ecosystem.enterprises.models import EnterpriseSummary
from ecosystem.enterprises.tasks import refresh_enterprise_stages
from ecosystem.insights import funnel_cells
from tests.worlds.enterprise_walk import Clock, Walk

pytestmark = pytest.mark.django_db


def cells(monkeypatch, *, zone_ids, today, probing: bool) -> tuple[dict, dict]:
    with monkeypatch.context() as patch:
        if not probing:
            patch.setattr(funnel_cells, "_probing", lambda zone_ids: False)
        return funnel_cells.funnel_cells(zone_ids=zone_ids, today=today)


@pytest.mark.parametrize("seed", [4, 5])
def test_a_zones_probed_cells_equal_the_reference_through_a_random_walk(monkeypatch, seed):
    clock = Clock(monkeypatch)
    walk = Walk(random.Random(seed), clock)
    stale_seen = False
    for n in range(90):
        walk.step()
        if n % 15 == 14:
            stale = EnterpriseSummary.objects.filter(stage_until__lte=clock.today)
            stale_seen = stale_seen or stale.exists()
            for moved in (False, True):
                if moved:
                    refresh_enterprise_stages.delay().get()
                for zone in walk.zones:
                    kwargs = {"zone_ids": [zone.pk], "today": clock.today}
                    assert cells(monkeypatch, probing=True, **kwargs) == cells(
                        monkeypatch, probing=False, **kwargs
                    ), (seed, n, moved, zone.pk)
    everywhere = {"zone_ids": [z.pk for z in walk.zones], "today": clock.today}
    assert cells(monkeypatch, probing=True, **everywhere)[0]  # the walk left figures
    assert stale_seen  # and rows past their day, read before the nightly move
