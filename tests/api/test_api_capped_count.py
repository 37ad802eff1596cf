"""API lists count at most ``COUNT_CAP`` rows: past it ``count`` stops there,
``count_capped`` says so and ``next`` still leads page by page to the last row; the count
query itself reads no further than the cap (docs/api.md, "Lists: pages and counts")."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from ecosystem.core.api.pagination import CappedCountPagination, CappedCountPaginator
from tests.factories import EnterpriseFactory, PlatformAdminFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    """A cap of 3 and pages of 2, so five enterprises show every case."""
    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    monkeypatch.setattr(CappedCountPagination, "page_size", 2)


def admin_client() -> APIClient:
    client = APIClient()
    client.force_authenticate(PlatformAdminFactory())
    return client


def test_count_past_the_cap_is_the_cap_and_next_leads_to_every_row(small_pages):
    made = {EnterpriseFactory().pk for _ in range(5)}
    client, url, seen, pages = admin_client(), reverse("api-enterprise-list"), set(), []
    while url:
        body = client.get(url).json()
        pages.append((body["count"], body["count_capped"], len(body["results"])))
        seen |= {row["id"] for row in body["results"]}
        url = body["next"]
    assert pages == [(3, True, 2), (3, True, 2), (3, True, 1)]
    assert seen == made


def test_count_within_the_cap_is_exact(small_pages):
    for _ in range(3):
        EnterpriseFactory()
    body = admin_client().get(reverse("api-enterprise-list")).json()
    assert (body["count"], body["count_capped"]) == (3, False)
    assert body["next"] is not None
    last = admin_client().get(body["next"]).json()
    assert (len(last["results"]), last["next"]) == (1, None)


def test_a_page_past_the_last_row_is_not_found(small_pages):
    for _ in range(5):
        EnterpriseFactory()
    client = admin_client()
    assert client.get(reverse("api-enterprise-list"), {"page": 4}).status_code == 404
    assert client.get(reverse("api-enterprise-list"), {"page": "x"}).status_code == 404


def test_the_count_query_reads_no_further_than_the_cap(small_pages):
    for _ in range(5):
        EnterpriseFactory()
    with CaptureQueriesContext(connection) as captured:
        admin_client().get(reverse("api-enterprise-list"))
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
    assert counts
    assert all("LIMIT 4" in sql for sql in counts)
