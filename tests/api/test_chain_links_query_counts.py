"""The supplier links API reads a page of links in a fixed number of queries: each side's
zone (shown as its code) comes with the link, not one query per link (the national crawl
found 108 queries against 24 on a small world)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import (
    ChainLeaderFactory,
    EnterpriseFactory,
    SupplierLinkFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/chains/links/")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["official", "admin"])
def test_a_page_of_links_costs_the_same_for_3_links_as_for_40(role):
    from tests.factories import PlatformAdminFactory

    zone = ZoneFactory()
    user = ZoneOfficialFactory(zone=zone) if role == "official" else PlatformAdminFactory()
    client = APIClient()
    client.force_authenticate(user)

    def links(count):
        for _ in range(count):
            leader = ChainLeaderFactory(enterprise=EnterpriseFactory(zone=zone))
            SupplierLinkFactory(leader=leader, supplier=EnterpriseFactory(zone=ZoneFactory()))

    links(3)
    few = _queries(client)
    links(37)
    assert _queries(client) == few
