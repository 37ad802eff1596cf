"""A bank's matches page and the matches API list make the same number of SQL queries for
10 matches as for 1,000, consented enterprises included: the access log of the enterprises
shown unmasked is one INSERT for the page, not one per row (the national crawl found 31
and 30 queries against 18 and 15 on a smaller world; issue #19)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ecosystem.enterprises.models import AccessLogEntry, Consent, Enterprise
from ecosystem.financing import match_totals
from ecosystem.financing.models import Match
from tests.worlds.leads import World, client_for

pytestmark = pytest.mark.django_db


def add_matches(world: World, count: int, *, start: int) -> None:
    """``count`` matched enterprises of the world's zone, every one consented."""
    now = timezone.now()
    firms = Enterprise.objects.bulk_create(
        [
            Enterprise(
                uscc=f"91440300{start + i:09d}Y",
                name=f"企业{start + i}",
                zone_id=world.enterprise.zone_id,
            )
            for i in range(count)
        ]
    )
    Consent.objects.bulk_create(
        [
            Consent(
                enterprise=e,
                bank=world.bank,
                purpose="financing",
                text_version="v1",
                granted_at=now,
            )
            for e in firms
        ]
    )
    Match.objects.bulk_create(
        [
            Match(
                enterprise=e,
                product=world.version.product,
                product_version=world.version,
                score=60,
                indicative_limit=Decimal(500_000),
                computed_at=now,
            )
            for e in firms
        ]
    )
    match_totals.rebuild()  # written past the rematch: the page's count and total


def queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), "\n".join(q["sql"] for q in captured.captured_queries)


@pytest.mark.parametrize("name", ["financing_bank_matches", "api-financing-match-list"])
def test_match_list_queries_do_not_grow_with_consented_rows(name):
    world = World()
    client = client_for(world.manager)
    url = reverse(name)
    add_matches(world, 10, start=0)
    client.get(url)  # warm the session
    few, _ = queries(client, url)
    add_matches(world, 990, start=10)
    logged = AccessLogEntry.objects.count()
    many, sql = queries(client, url)
    assert many == few, sql
    assert AccessLogEntry.objects.count() > logged  # the page still leaves its traces
