"""The review queue read a page at a time (issue #19, docs/slow-pages.md): a page computes
the ageing of its own items only and makes the same queries for 10 items as for 1,000;
its pages, counts and the overdue figure are those of the whole queue sorted in Python."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.core.workdays import working_days_between
from ecosystem.enterprises.models import FinancialYear, QualificationClaim
from ecosystem.enterprises.review import queue as queue_module
from tests.factories import (
    PlatformAdminFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)
from tests.worlds.review_queue import STATUSES, fill
from tests.worlds.zone import client_of

pytestmark = pytest.mark.django_db


def expected(zone) -> list[tuple[str, int, object]]:
    """The queue sorted in Python: (kind, id, waiting since)."""
    items = [
        ("claim", c.pk, c.submitted_at)
        for c in QualificationClaim.objects.filter(enterprise__zone=zone, status__in=STATUSES)
    ] + [
        ("financial_year", y.pk, y.updated_at)
        for y in FinancialYear.objects.filter(enterprise__zone=zone)
    ]
    return sorted(items, key=lambda i: (i[2], i[0] != "claim", i[1]))


def queries_of(client, url: str) -> int:
    client.get(url)  # the first fills the caches (calendar, session): count the second
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/zones/queue/", "/api/v1/zones/queue/"])
def test_a_queue_page_makes_the_same_queries_for_10_items_as_for_1000(url):
    small, big = ZoneFactory(), ZoneFactory()
    fill(small, 10)
    fill(big, 1000)
    counts = [queries_of(client_of(ZoneOfficialFactory(zone=zone)), url) for zone in (small, big)]
    assert counts[0] == counts[1]


def test_a_queue_page_ages_only_its_own_items():
    zone = ZoneFactory(review_target_days=5)
    fill(zone, 1000)
    client = client_of(ZoneOfficialFactory(zone=zone))
    counted = mock.Mock(side_effect=working_days_between)
    with mock.patch.object(queue_module, "working_days_between", counted):
        response = client.get(reverse("zone_queue"))
    assert len(response.context["rows"]) == 50
    # 50 items, and the overdue cut-off walked back over the target's days (was 1,500).
    assert counted.call_count < 100


def test_api_pages_in_order_with_counts_and_overdue_as_the_whole_queue():
    zone = ZoneFactory(review_target_days=5)
    ZoneFactory(review_target_days=12)  # a second target: overdue is counted per zone
    fill(zone, 120)
    api = APIClient()
    api.force_authenticate(ZoneOfficialFactory(zone=zone))
    url, seen = reverse("api-zone-queue"), []
    while url:
        body = api.get(url).json()
        assert body["count"] == 180
        seen += [(row["kind"], row["id"], row["overdue"]) for row in body["results"]]
        url = body["next"]
    want = expected(zone)
    today = timezone.localdate()

    def overdue(since) -> bool:
        return working_days_between(timezone.localtime(since).date(), today) > 5

    assert seen == [(kind, pk, overdue(since)) for kind, pk, since in want]
    page = client_of(ZoneOfficialFactory(zone=zone)).get(reverse("zone_queue"))
    assert page.context["total"] == 180
    assert page.context["overdue"] == sum(1 for *_, since in want if overdue(since))


def test_min_age_keeps_exactly_the_items_that_old():
    zone = ZoneFactory()
    fill(zone, 60)
    official = ZoneOfficialFactory(zone=zone)
    today = timezone.localdate()
    got = [(i.kind, i.obj.pk) for i in queue_module.review_queue(user=official, min_age=20)]
    assert got == [
        (kind, pk)
        for kind, pk, since in expected(zone)
        if working_days_between(timezone.localtime(since).date(), today) >= 20
    ]
    assert got  # the world has items that old


def test_the_admin_sees_every_zone_in_one_order():
    zones = [ZoneFactory(), ZoneFactory()]
    for zone in zones:
        fill(zone, 20)
    items = queue_module.review_queue(user=PlatformAdminFactory())
    assert len(items) == 60
    assert [i.waiting_since for i in items[:60]] == sorted(i[2] for z in zones for i in expected(z))


def _pages(user, size: int) -> list[tuple[str, int]]:
    queue = queue_module.review_queue(user=user)
    return [
        (item.kind, item.obj.pk)
        for start in range(0, len(queue), size)
        for item in queue[start : start + size]
    ]


def test_an_officials_pages_start_from_the_firms_holding_the_first_claims():
    """The zone's first claims are found from the review backlog's members (the firms and
    days holding them), not by walking every zone's claims in time order; the order is
    the whole queue's."""
    zone, other = ZoneFactory(), ZoneFactory()
    fill(zone, 90)
    fill(other, 30)
    official = ZoneOfficialFactory(zone=zone)
    with CaptureQueriesContext(connection) as captured:
        items = queue_module.review_queue(user=official)[40:80]
    assert any("enterprises_claimswaitingmember" in q["sql"] for q in captured.captured_queries)
    assert [(i.kind, i.obj.pk) for i in items] == [(k, pk) for k, pk, _ in expected(zone)][40:80]
    assert _pages(official, 7) == [(k, pk) for k, pk, _ in expected(zone)]


def test_members_that_drifted_from_their_claims_leave_the_queue_whole():
    """A member row that no longer matches the claims it names (written past the
    services) is noticed, and the page read as before: no claim goes missing."""
    from ecosystem.enterprises.models import ClaimsWaitingMember

    zone = ZoneFactory()
    fill(zone, 60)
    first = ClaimsWaitingMember.objects.filter(zone=zone).order_by("day").first()
    ClaimsWaitingMember.objects.filter(enterprise_id=first.enterprise_id).delete()
    official = ZoneOfficialFactory(zone=zone)
    assert _pages(official, 10) == [(k, pk) for k, pk, _ in expected(zone)]


def test_members_that_agree_in_total_but_not_with_their_claims_leave_the_queue_whole():
    """Drift the zone's total does not show: one firm's members moved a year on (its
    claims would be left out of the pages) and a claim of its count moved to another
    firm's first day, so the total agrees. The claims the chosen firms hold up to the
    page's last day differ from the members' count, so the page is read as before."""
    from datetime import timedelta

    from django.db.models import F

    from ecosystem.enterprises.models import ClaimsWaitingMember

    zone = ZoneFactory()
    fill(zone, 60)
    members = ClaimsWaitingMember.objects.filter(zone=zone)
    moved, shifted = sorted(set(members.values_list("enterprise_id", flat=True)))[:2]
    members.filter(enterprise_id=moved).update(day=F("day") + timedelta(days=365))
    late = members.filter(enterprise_id=moved).order_by("day").first()
    early = members.filter(enterprise_id=shifted).order_by("day").first()
    members.filter(pk=late.pk).update(claims=F("claims") - 1)
    members.filter(pk=early.pk).update(claims=F("claims") + 1)
    official = ZoneOfficialFactory(zone=zone)
    assert _pages(official, 10) == [(k, pk) for k, pk, _ in expected(zone)]
