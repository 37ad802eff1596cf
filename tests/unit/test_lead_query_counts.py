"""The inbox page and the leads API list make a fixed, small number of SQL queries
whatever the number of rows on the page (issue 7: at most 10, counted with session and
login)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.enterprises.models import Consent
from ecosystem.financing.models import Lead
from tests.factories import EnterpriseFactory, api_key_for
from tests.worlds.leads import World, client_for

pytestmark = pytest.mark.django_db
MAX_QUERIES = 10


def add_leads(world: World, count: int) -> None:
    """More leads of the world's bank and branch, half consented, half assigned."""
    now = timezone.now()
    for i in range(count):
        enterprise = EnterpriseFactory(zone=world.enterprise.zone)
        if i % 2:
            Consent.objects.create(
                enterprise=enterprise,
                bank=world.bank,
                purpose=Consent.Purpose.FINANCING,
                text_version="v1",
                granted_by=world.member,
                granted_at=now,
            )
        Lead.objects.create(
            enterprise=enterprise,
            product=world.version.product,
            product_version=world.version,
            bank=world.bank,
            branch=world.branch,
            source=Lead.Source.APPLY,
            indicative_limit=Decimal("500000"),
            status=Lead.Status.ASSIGNED if i % 2 else Lead.Status.NEW,
            assigned_to=world.rm if i % 2 else None,
            due_at=now + timedelta(hours=i - 5),
        )


def count_queries(client, url, rows: int | None = None) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    if rows is not None:
        assert len(response.json()["results"]) == rows
    return len(captured), [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("tab", ["mine", "team", "unassigned"])
@pytest.mark.parametrize("role", ["rm", "manager"])
def test_inbox_queries_do_not_grow_with_rows(tab, role):
    world = World()
    user = getattr(world, role)
    client = client_for(user)
    url = reverse("financing_lead_inbox") + f"?tab={tab}"
    add_leads(world, 2)  # a page with rows: an empty page skips its query
    client.get(url)  # warm the session
    few, _ = count_queries(client, url)
    add_leads(world, 30)
    many, sql = count_queries(client, url)
    assert many == few, "\n".join(sql)
    assert many <= MAX_QUERIES, "\n".join(sql)


def test_leads_api_list_queries_do_not_grow_with_page_size():
    world = World()
    add_leads(world, 30)
    # The feed holds back rows changed in the last seconds: these changed a minute ago.
    Lead.objects.update(updated_at=timezone.now() - timedelta(minutes=1))
    client = APIClient()
    # A token's last use is written once a minute: this one's was just now.
    key = api_key_for(world.manager, last_used_at=timezone.now())
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    counts = {}
    for page_size in (1, 5, 50, 100):
        url = reverse("api-financing-lead-list") + f"?page_size={page_size}"
        counts[page_size], sql = count_queries(client, url, rows=min(page_size, 31))
        assert counts[page_size] <= MAX_QUERIES, "\n".join(sql)
    assert len(set(counts.values())) == 1, counts
