"""The enterprises API list at national size (issue #19): in name order with ``pk`` breaking
ties (what the index ``enterprise_name_order`` holds, so a page is read, not sorted out of
a million enterprises; before, firms of the same name came in no stated order and a page
could repeat or skip one); a relationship manager's branch firms probed for consent one by
one instead of hashing every consent of the bank; the same queries for 10 firms as for
1,000, for each bank role and the platform admin."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from ecosystem.enterprises.models import Consent, Enterprise
from tests.factories import ConsentFactory, EnterpriseFactory
from tests.worlds.crawl_flagged import World, growers

pytestmark = pytest.mark.django_db
URL = "/api/v1/enterprises/"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_firms_of_one_name_come_in_id_order():
    world = World()
    zone = world.enterprise.zone
    twins = [EnterpriseFactory(name="同名科技有限公司", zone=zone) for _ in range(5)]
    for firm in twins:
        ConsentFactory(enterprise=firm, bank=world.bank, text_version="v1")
    expected = list(
        Enterprise.objects.filter(
            pk__in=Consent.objects.filter(bank=world.bank, revoked_at__isnull=True).values(
                "enterprise_id"
            )
        )
        .order_by("name", "pk")
        .values_list("pk", flat=True)
    )
    listed = [row["id"] for row in _client(world.manager).get(URL).json()["results"]]
    assert listed == expected
    assert [pk for pk in listed if pk in {t.pk for t in twins}] == sorted(t.pk for t in twins)


def test_a_relationship_manager_sees_the_consented_firms_of_the_branch_only():
    world = World()
    growers["rm_leads"](world, 4, start=0)  # consented, with a lead in the branch
    outside = EnterpriseFactory()  # consented, neither a lead in the branch nor in its zone
    ConsentFactory(enterprise=outside, bank=world.bank, text_version="v1")
    in_zone = EnterpriseFactory(zone=world.enterprise.zone)  # in the zone, no consent
    listed = _client(world.rm).get(URL).json()
    ids = {row["id"] for row in listed["results"]}
    assert outside.pk not in ids and in_zone.pk not in ids
    assert world.enterprise.pk in ids
    assert listed["count"] == len(ids) == 5


@pytest.mark.parametrize("role", ["rm", "manager", "admin"])
def test_list_queries_do_not_grow_with_firms(role):
    world = World()
    client = _client(getattr(world, role))
    growers["rm_leads"](world, 10, start=0)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    growers["rm_leads"](world, 990, start=10)
    with CaptureQueriesContext(connection) as many:
        body = client.get(URL).json()
    assert body["count"] >= 1000
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
