"""The zone official's review queue finds the zone's items by their enterprise's id among
the zone's enterprise ids (an index-only read of ``enterprise_zone_ids`` matched against
the items' partial indexes on the enterprise), never by joining every awaiting item to its
enterprise's row for the zone (1 s of the official's queue nationally, issue #19); the
items are those of the official's zones only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import ZoneFactory, ZoneOfficialFactory
from tests.worlds.review_queue import fill

pytestmark = pytest.mark.django_db


def test_the_queue_reads_the_zone_by_enterprise_ids_and_shows_its_items_only():
    zone, other = ZoneFactory(), ZoneFactory()
    fill(zone, 4)
    fill(other, 4)
    official = ZoneOfficialFactory(zone=zone)
    client = APIClient()
    client.force_authenticate(official)
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/v1/zones/queue/").json()
    # the counts and the queue's order (the page's 50 items are then loaded with theirs)
    on_items = [
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(" in q["sql"] or q["sql"].startswith("SELECT kind, key")
    ]
    assert len(on_items) >= 3
    for sql in on_items:
        assert 'JOIN "enterprises_enterprise"' not in sql, sql
    assert body["count"] == 6  # ``fill``: 4 claims and 2 years of the zone, not the other's
