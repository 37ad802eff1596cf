"""The claims API of an enterprise, read by its bank (a relationship manager and a manager
holding its consent): the same number of queries for 10 verified claims as for 1,000; with
none a bank may see (only drafts, submitted or rejected claims) exactly two fewer, the
page's rows and their evidence, which an empty page does not read.

Why the national crawl counted 10 queries against 12 on the small world (issue #19): the
national world's enterprise 1 holds only a draft claim, which a bank does not see (banks
see verified qualifications, as the consent text says); the small world's holds a verified
one. Nothing is left out of the response: the two queries have nothing to read."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from ecosystem.enterprises.models import QualificationClaim
from tests.worlds.crawl_flagged import World, growers

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> tuple[int, int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured), response.json()["count"], [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("role", ["rm", "manager"])
def test_bank_reads_claims_in_queries_that_do_not_grow_and_two_fewer_when_none(role):
    world = World()
    QualificationClaim.objects.filter(enterprise=world.enterprise).delete()
    client = APIClient()
    client.force_authenticate(getattr(world, role))
    url = reverse("api-claim-list", kwargs={"enterprise_pk": world.enterprise.pk})
    growers["claims"](world, 3, start=0)
    QualificationClaim.objects.filter(enterprise=world.enterprise).update(status="draft")
    client.get(url)
    none, shown, _sql = _count(client, url)
    assert shown == 0
    growers["claims"](world, 10, start=3)
    few, shown, few_sql = _count(client, url)
    assert shown == 10
    growers["claims"](world, 990, start=13)
    many, shown, sql = _count(client, url)
    assert shown == 1000
    assert many == few, "\n".join(sql)
    assert none == few - 2
    assert any("enterprises_evidence" in q for q in few_sql)
