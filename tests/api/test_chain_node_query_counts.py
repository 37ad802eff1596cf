"""A chain node's enterprises (the API and the page) and the chain leaders page cost the
same number of queries for 10 rows as for 1,000: nothing is read per firm or per leader,
and a count past its cap (the API's 10,000, the page's 200 for a bank; lowered here so
1,000 firms pass it) costs as many queries as an exact one (the national crawl counted 13
queries for the admin's capped API list against 16 on a small world)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecosystem.chains.models import Chain, ChainLeader, SupplierLink
from ecosystem.core.api import pagination
from ecosystem.insights.views import chains as chain_pages
from tests.worlds.crawl_flagged import World, _firms, first_ic_node, growers
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db
FEW, MANY = 10, 1000


def _count(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), "\n".join(q["sql"][:300] for q in captured.captured_queries)


def _same_for_few_and_many(client, url, grow) -> None:
    grow(FEW, 0)
    client.get(url)  # the session's first writes, the caches
    few, few_sql = _count(client, url)
    grow(MANY - FEW, FEW)
    many, sql = _count(client, url)
    assert many == few, f"{few_sql}\n----\n{sql}"


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("manager", "api"),
        ("rm", "api"),
        ("official", "api"),
        ("admin", "api"),
        ("official", "page"),
        ("rm", "page"),
        ("admin", "page"),
    ],
)
def test_node_enterprises_cost_the_same_for_10_firms_as_for_1000(role, page, monkeypatch):
    monkeypatch.setattr(pagination.CappedCountPaginator, "cap", 100)
    monkeypatch.setattr(chain_pages, "NODE_COUNT_CAP", 100)
    world = World()
    node = first_ic_node()
    url = (
        f"/api/v1/chains/nodes/{node}/enterprises/"
        if page == "api"
        else f"/chains/ic/nodes/{node}/"
    )
    client = client_for(getattr(world, role))
    grow = growers["chain_placements"]
    _same_for_few_and_many(client, url, lambda n, start: grow(world, n, start=start))


@pytest.mark.parametrize("role", ["official", "admin"])
def test_the_leaders_page_costs_the_same_for_10_leaders_as_for_1000(role):
    world = World()
    chains = list(Chain.objects.all())

    def leaders(count, start):
        firms = _firms(world, count, start, "cl")
        made = ChainLeader.objects.bulk_create(
            [
                ChainLeader(
                    chain=chains[i % len(chains)],
                    enterprise=firm,
                    ended_at=timezone.now() if i % 5 == 0 else None,
                )
                for i, firm in enumerate(firms)
            ]
        )
        SupplierLink.objects.bulk_create(
            [
                SupplierLink(leader=leader, supplier=world.enterprise, status=status)
                for leader in made[::3]
                for status in ("confirmed", "declined")
            ]
        )

    client = client_for(getattr(world, role))
    _same_for_few_and_many(client, "/chains/leaders/", leaders)
