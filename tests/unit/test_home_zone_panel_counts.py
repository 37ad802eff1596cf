"""The zone official's home panel counts its claims in SQL and reads only the claims it
shows: the figures and lines equal the reference computation (every waiting claim read
and aged in Python, as the panel did), around the review target and across a holiday,
and the per-claim ageing runs for the shown lines only, whatever the number waiting."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from ecosystem.accounts.scope import active_memberships
from ecosystem.core import workdays
from ecosystem.core.models import CalendarDay
from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.workflow import AWAITING_DECISION, ClaimStatus
from ecosystem.insights.home import ITEMS
from ecosystem.insights.home.firms import _zone_panel
from tests.factories import (
    EnterpriseFactory,
    QualificationClaimFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db


def _reference(zone, today):
    """The panel's figures as it computed them before: every waiting claim aged."""
    overrides = workdays.calendar_overrides()
    waiting = list(
        QualificationClaim.objects.filter(
            enterprise__zone=zone, status__in=AWAITING_DECISION
        ).order_by("submitted_at", "pk")
    )

    def age(claim):
        since = claim.submitted_at or claim.created_at
        return workdays.working_days_between(timezone.localtime(since).date(), today, overrides)

    aged = [(c, age(c)) for c in waiting]
    late = [(c, a) for c, a in aged if a > zone.review_target_days]
    return len(late), len(aged), [c.pk for c, _ in (late or aged)[:ITEMS]]


def _panel(official):
    (membership,) = active_memberships(official)
    with translation.override("en"):
        panel = _zone_panel(membership)
        panel.figures = [(str(c.label), c.value) for c in panel.figures]
    return panel


def _claim_pks(panel) -> list[int]:
    return [int(item.url.rstrip("/").rsplit("/", 1)[-1]) for item in panel.items]


def _local(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.mark.parametrize("target", [0, 3, 5])
def test_counts_and_lines_equal_the_reference_around_the_target(target):
    cache.clear()
    today = timezone.localdate()
    # A holiday on a recent weekday and a worked Saturday move the working-day boundary.
    CalendarDay.objects.create(day=today - timedelta(days=3), is_working=False, name_zh="假")
    CalendarDay.objects.create(day=today - timedelta(days=9), is_working=True, name_zh="调")
    workdays.forget_calendar()
    zone = ZoneFactory(review_target_days=target)
    official = ZoneOfficialFactory(zone=zone)
    firm = EnterpriseFactory(zone=zone)
    for days_back in range(0, 16):
        for hour in (0, 23):  # both ends of the local day
            QualificationClaimFactory(
                enterprise=firm,
                status=ClaimStatus.SUBMITTED,
                submitted_at=_local(today - timedelta(days=days_back), hour),
            )
    QualificationClaimFactory(enterprise=firm, status=ClaimStatus.VERIFIED)
    QualificationClaimFactory(enterprise=EnterpriseFactory(), status=ClaimStatus.SUBMITTED)

    late, waiting, shown = _reference(zone, today)
    panel = _panel(official)
    figures = dict(panel.figures)
    assert figures["Claims past the review target"] == late
    assert figures["Claims waiting for review"] == waiting == 32
    assert _claim_pks(panel) == shown
    assert 0 < late < waiting


def test_with_none_late_the_oldest_are_shown():
    zone = ZoneFactory(review_target_days=30)
    official = ZoneOfficialFactory(zone=zone)
    firm = EnterpriseFactory(zone=zone)
    for days_back in range(ITEMS + 2):
        QualificationClaimFactory(
            enterprise=firm,
            status=ClaimStatus.SUBMITTED,
            submitted_at=timezone.now() - timedelta(days=days_back),
        )
    late, waiting, shown = _reference(zone, timezone.localdate())
    panel = _panel(official)
    assert (late, waiting) == (0, ITEMS + 2)
    assert _claim_pks(panel) == shown


def test_only_the_shown_claims_are_aged_one_by_one():
    """The panel used to read and age every claim waiting in the zone (thousands at
    national size); now the ageing in Python is for the lines shown."""
    zone = ZoneFactory(review_target_days=5)
    official = ZoneOfficialFactory(zone=zone)
    firm = EnterpriseFactory(zone=zone)
    for n in range(4 * ITEMS):
        QualificationClaimFactory(
            enterprise=firm,
            status=ClaimStatus.SUBMITTED,
            submitted_at=timezone.now() - timedelta(days=n),
        )
    counting = mock.patch.object(
        workdays, "working_days_between", wraps=workdays.working_days_between
    )
    with (
        mock.patch(
            "ecosystem.enterprises.review.queue.working_days_between",
            wraps=workdays.working_days_between,
        ) as cutoff_search,
        counting as per_claim,
    ):
        _panel(official)
    assert per_claim.call_count <= ITEMS
    assert cutoff_search.call_count <= 10  # finding the cutoff day: a few days back
