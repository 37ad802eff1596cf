"""The Django admin's lists of the largest tables (``core.admin.LargeTableAdmin``: matches,
leads, enterprises, claims, consents, the access log) count at most ``COUNT_CAP + 1`` rows,
never the whole table, and say "more than N" past the cap; every page stays reachable; their
default order is one an index holds; their query counts do not grow from 10 to 1,000 rows
(issue #19: 1.6 s for the match list of the national world, most of it counting and
sorting 1.5 million rows)."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecosystem.core.admin import LargeTableAdmin
from ecosystem.core.api.pagination import CappedCountPaginator
from ecosystem.financing.models import Match
from tests.worlds.crawl_flagged import World, growers
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db
FEW, MANY = 10, 1000

#: (admin list, the grower that adds its rows: tests/worlds/crawl_flagged.py)
LISTS = {
    "financing_match": "bank_matches",
    "financing_lead": "rm_leads",
    "enterprises_enterprise": "zone_claims",
    "enterprises_qualificationclaim": "zone_claims",
    "enterprises_consent": "bank_matches",
}


def queries(client, url: str) -> tuple[int, list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 200, response.status_code
    return len(captured), [q["sql"] for q in captured.captured_queries], response.content.decode()


@pytest.mark.parametrize("name", list(LISTS))
def test_large_admin_list_queries_do_not_grow_with_rows(name):
    world = World()
    grow = growers[LISTS[name]]
    client = client_for(world.admin)
    url = reverse(f"admin:{name}_changelist")
    grow(world, FEW, start=0)
    client.get(url)
    few, _sql, _ = queries(client, url)
    grow(world, MANY - FEW, start=FEW)
    many, sql, _ = queries(client, url)
    assert many == few, "\n".join(sql)


@pytest.fixture
def small_pages(monkeypatch):
    """A cap of 5 rows and pages of 2 matches, so a few rows go past the cap."""
    monkeypatch.setattr(CappedCountPaginator, "cap", 5)
    monkeypatch.setattr(admin.site._registry[Match], "list_per_page", 2)


def _match_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="_selected_action" value="(\d+)"', html)] or [
        int(pk) for pk in re.findall(r"/admin/financing/match/(\d+)/change/", html)
    ]


def test_match_list_past_the_cap_says_more_than_and_never_counts_the_table(small_pages):
    world = World()
    growers["bank_matches"](world, 9, start=0)
    client = client_for(world.admin)
    url = reverse("admin:financing_match_changelist")
    _n, sql, html = queries(client, url)
    counts = [q for q in sql if "COUNT(" in q and "financing_match" in q]
    assert counts and all("LIMIT 6" in q for q in counts), counts
    assert "more than 5 matches" in html
    assert not re.search(r"\b9 matches\b", html)
    # every match is on one page or another, in the model's order (-score, -limit, -pk)
    seen = []
    for page in range(1, 6):
        seen += _match_ids(queries(client, f"{url}?p={page}")[2])
    expected = list(
        Match.objects.order_by("-score", "-indicative_limit", "-pk").values_list("pk", flat=True)
    )
    assert seen == expected


def test_match_list_under_the_cap_shows_the_exact_count(small_pages):
    world = World()
    growers["bank_matches"](world, 3, start=0)
    _n, _sql, html = queries(client_for(world.admin), reverse("admin:financing_match_changelist"))
    assert "3 matches" in html
    assert "more than" not in html


def test_search_past_the_cap_says_more_than(monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 5)
    world = World()
    growers["zone_claims"](world, 9, start=0)
    url = reverse("admin:enterprises_enterprise_changelist") + "?q=增长企业"
    _n, _sql, html = queries(client_for(world.admin), url)
    assert "more than 5 results" in html
    assert 'class="question' not in html  # "select all N": N is not known past the cap


def _index_orders(model) -> list[list[str]]:
    """Each index's column order as ``-name`` / ``name``, and its backward scan."""
    orders = []
    for index in model._meta.indexes:
        fields = [f.replace("_id", "") if f.endswith("_id") else f for f in index.fields]
        if fields:
            orders.append(fields)
            orders.append([f[1:] if f.startswith("-") else f"-{f}" for f in fields])
    for field in model._meta.fields:
        if field.db_index and not field.primary_key:
            orders += [[field.name], [f"-{field.name}"]]
    return orders


@pytest.mark.parametrize(
    "model_admin",
    [ma for ma in admin.site._registry.values() if isinstance(ma, LargeTableAdmin)],
    ids=lambda ma: ma.model._meta.label,
)
def test_large_admin_default_order_is_read_from_an_index(model_admin):
    """The list's order (with the admin's tie-break on ``pk``) is an index's, whole. An
    index on its first key alone is not enough: on a small access log (5,299 entries,
    nationally) PostgreSQL joined every enterprise and sorted, 155 ms against 1.4."""
    request = RequestFactory().get("/")
    request.user = World().admin
    changelist = model_admin.get_changelist_instance(request)
    ordering, seen = [], set()
    for key in changelist.get_ordering(request, changelist.root_queryset):
        key = "id" if key == "pk" else "-id" if key == "-pk" else key
        if key.lstrip("-") not in seen:  # the SQL compiler drops a column sorted twice
            seen.add(key.lstrip("-"))
            ordering.append(key)
    orders = _index_orders(model_admin.model)
    assert ordering in orders, (ordering, orders)
