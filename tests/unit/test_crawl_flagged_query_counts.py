"""Every page the crawl flagged (``bench/crawl_bench.py``: a query count that differs
between a small and a bigger world) makes the same number of SQL queries for 10 rows as
for 1,000 of what it lists (issue #19). One case per (page, role); the rows each grows are
named in its id. Exports read in chunks may add a fixed number of queries per chunk (the
chunk's rows, its access-log INSERT), never one per row: ``per_chunk`` says how many.

The pages and why the crawl flagged them (docs/performance.md, "Query counts the crawl
flagged"): the member's matches API made a query per match (its own enterprise's details,
the program names of each version's criteria); the exports added queries per chunk (the bank's
lead and match exports no longer do; the queue's still read 1,000 rows a query); the
others differed by the staff session's once-a-minute activity write, which the crawl now
keeps out of its counts."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.worlds.crawl_flagged import Grower, World, first_ic_node, growers
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db
FEW, MANY = 10, 1000


@dataclass(frozen=True)
class Case:
    role: str
    url: object  # (world) -> str
    grower: str
    api: bool = False
    chunk: int = 0  # rows per chunk of a chunked export
    per_chunk: int = 0  # queries each further chunk adds


def _e(name):
    return lambda w: reverse(name, args=[w.enterprise.pk])


CASES = {
    # a query per match (enterprise details, program names): fixed in this change
    "member matches API (matches)": Case(
        "member", lambda w: reverse("api-financing-match-list"), "own_matches", api=True
    ),
    "member matches page (current products)": Case(
        "member", _e("financing_enterprise_matches"), "own_matches"
    ),
    # exports: a chunk at a time
    "rm lead export (consented leads)": Case(
        "rm",
        lambda w: reverse("financing_lead_export", args=["csv"]) + "?tab=mine",
        "rm_leads",  # one rows query and one access-log INSERT … SELECT, whatever the size
    ),
    "manager match export (consented matches)": Case(
        "manager",
        lambda w: reverse("financing_bank_matches_export", args=["csv"]),
        "bank_matches",  # likewise (the firms' latest verified years in the rows query)
    ),
    "admin match list (consented matches)": Case(
        "admin", lambda w: reverse("financing_bank_matches"), "bank_matches"
    ),
    "official queue export (claims)": Case(
        "official",
        lambda w: reverse("zone_queue_export", args=["csv"]),
        "zone_claims",
        chunk=1000,
        per_chunk=1,
    ),
    "admin queue export (claims)": Case(
        "admin",
        lambda w: reverse("zone_queue_export", args=["csv"]),
        "zone_claims",
        chunk=1000,
        per_chunk=1,
    ),
    # differed by the staff session's activity write only
    "official needs list (needs)": Case("official", _e("financing_need_list"), "needs"),
    "official claims API (claims)": Case(
        "official",
        lambda w: reverse("api-claim-list", kwargs={"enterprise_pk": w.enterprise.pk}),
        "claims",
        api=True,
    ),
    "rm claims API (claims)": Case(
        "rm",
        lambda w: reverse("api-claim-list", kwargs={"enterprise_pk": w.enterprise.pk}),
        "claims",
        api=True,
    ),
    "manager claims API (claims)": Case(
        "manager",
        lambda w: reverse("api-claim-list", kwargs={"enterprise_pk": w.enterprise.pk}),
        "claims",
        api=True,
    ),
    "rm lead detail (notes)": Case(
        "rm", lambda w: reverse("financing_lead_detail", args=[w.lead.pk]), "lead_notes"
    ),
    "official self-assessment (claims)": Case("official", _e("self_assessment"), "claims"),
    "registry lookup (entries of the code)": Case(
        "registry",
        lambda w: reverse("registry_entry_lookup") + f"?uscc={w.enterprise.uscc}",
        "entries",
    ),
    "registry program API (entries of its list)": Case(
        "registry", lambda w: reverse("api-program-detail", args=[w.program.code]), "entries"
    ),
    "registry entries API (entries of the code)": Case(
        "registry",
        lambda w: reverse("api-registry-entry-list") + f"?uscc={w.enterprise.uscc}",
        "entries",
        api=True,
    ),
    "admin chain nodes (placements)": Case(
        "admin", lambda w: reverse("chains:enterprise_nodes", args=[w.enterprise.pk]), "nodes"
    ),
    # session 9's national world places enterprises on chains: the chain pages
    **{
        f"{role} {name} (enterprises on the chain)": Case(role, url, "chain_placements", api=api)
        for role in ("official", "rm", "admin")
        for name, url, api in (
            ("chains overview", lambda w: "/chains/", False),
            ("chain coverage", lambda w: "/chains/ic/", False),
            ("chain coverage export", lambda w: "/chains/ic/export/csv/", False),
            ("chain coverage API", lambda w: "/api/v1/chains/ic/coverage/", True),
            ("chain node", lambda w: f"/chains/ic/nodes/{first_ic_node()}/", False),
        )
    },
}


def _client(world, case: Case):
    user = getattr(world, case.role)
    if not case.api:
        return client_for(user)
    client = APIClient()
    client.force_authenticate(user)
    return client


def _count(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), "\n".join(q["sql"][:300] for q in captured.captured_queries)


def _chunks(rows: int, size: int) -> int:
    return math.ceil(rows / size) if size else 0


@pytest.mark.parametrize("page", list(CASES))
def test_flagged_page_queries_do_not_grow_with_rows(page):
    case = CASES[page]
    world = World()
    grow: Grower = growers[case.grower]
    client = _client(world, case)
    url = case.url(world)
    grow(world, FEW, start=0)
    _count(client, url)  # warm the session and the caches (an export read to its end)
    few, few_sql = _count(client, url)
    grow(world, MANY - FEW, start=FEW)
    many, sql = _count(client, url)
    chunks = _chunks(MANY, case.chunk) - _chunks(FEW, case.chunk)
    assert many == few + case.per_chunk * chunks, f"{few_sql}\n----\n{sql}"


def test_the_staff_activity_write_is_the_only_time_dependent_query(monkeypatch):
    """What flagged most pages of the national crawl: a staff session's activity time is
    written once a minute (three queries inside a transaction), so a page requested a
    minute after the last write counts three more; the crawl keeps its clock still."""
    from ecosystem.accounts import middleware

    world = World()
    client = client_for(world.official)
    url = reverse("financing_need_list", args=[world.enterprise.pk])
    now = timezone.now().timestamp()
    monkeypatch.setattr(middleware, "_clock", lambda: now)
    client.get(url)
    still, _ = _count(client, url)
    monkeypatch.setattr(middleware, "_clock", lambda: now + 61)
    later, sql = _count(client, url)
    assert later == still + 3, sql
    assert 'UPDATE "django_session"' in sql
