"""The inbox's tabs and the leads API list make the same number of queries with 10 leads
as with 1,010 (issue 19), and the inbox's count stops 1,000 leads past the page it shows
(``views.inbox_page.CappedPaginator``) while every page stays reachable."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.enterprises.models import Consent, Enterprise
from ecosystem.financing.models import Lead, Offer
from tests.factories import EnterpriseFactory, api_key_for
from tests.worlds.leads import World, client_for

pytestmark = pytest.mark.django_db
S = Lead.Status


def add_leads(world: World, count: int) -> None:
    """``count`` leads of the world's branch in bulk: new and unassigned, assigned to the
    RM, offers made (with an offer); a consent for every other enterprise."""
    now = timezone.now()
    enterprises = Enterprise.objects.bulk_create(
        EnterpriseFactory.build_batch(count, zone=world.enterprise.zone)
    )
    Consent.objects.bulk_create(
        Consent(
            enterprise=e,
            bank=world.bank,
            purpose=Consent.Purpose.FINANCING,
            text_version="v1",
            granted_at=now,
        )
        for e in enterprises[::2]
    )
    statuses = [S.NEW, S.ASSIGNED, S.OFFER_MADE, S.CONTACTED]
    leads = Lead.objects.bulk_create(
        Lead(
            enterprise=e,
            zone_id=e.zone_id,
            product=world.version.product,
            product_version=world.version,
            bank=world.bank,
            branch=world.branch,
            source=Lead.Source.APPLY,
            indicative_limit=Decimal("500000"),
            status=statuses[i % 4],
            assigned_to=None if i % 4 == 0 else world.rm,
            due_at=now + timedelta(hours=i % 50 - 25),
            need_amount=Decimal("300000") if i % 3 else None,
            need_term_months=12 if i % 3 else None,
            need_purpose="rd" if i % 3 else "",
            need_collateral="none" if i % 3 else "",
        )
        for i, e in enumerate(enterprises)
    )
    Offer.objects.bulk_create(
        Offer(
            lead=lead,
            amount=Decimal("400000"),
            rate=Decimal("4"),
            term_months=12,
            valid_until=now + timedelta(days=5),
            created_by=world.rm,
        )
        for lead in leads
        if lead.status == S.OFFER_MADE
    )
    Lead.objects.update(updated_at=now - timedelta(minutes=1))


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured), "\n".join(q["sql"] for q in captured.captured_queries)


def page_urls():
    inbox = reverse("financing_lead_inbox")
    yield from ((role, f"{inbox}?tab={tab}") for role in ("rm", "manager") for tab in TABS)


TABS = ("mine", "team", "unassigned")


def test_query_counts_are_equal_at_10_and_1010_leads():
    world = World()
    browsers = {role: client_for(getattr(world, role)) for role in ("rm", "manager")}
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Token {api_key_for(world.manager, last_used_at=timezone.now())}"
    )
    urls = [(browsers[role], url) for role, url in page_urls()]
    feed = reverse("api-financing-lead-list")
    urls += [(api, f"{feed}?page_size=50"), (api, f"{feed}?page_size=100&status=offer_made")]
    add_leads(world, 10)
    for client, url in urls:
        client.get(url)  # sessions and tokens warm
    few = [queries(client, url) for client, url in urls]
    add_leads(world, 1000)
    for (client, url), (count, before) in zip(urls, few, strict=True):
        many, sql = queries(client, url)
        assert many == count, f"{url}: {count} then {many}\n{before}\n\n{sql}"
    # Not all empty pages: the big tabs are full.
    page = browsers["rm"].get(f"{reverse('financing_lead_inbox')}?tab=team").content.decode()
    assert page.count('data-testid="lead"') == 50


def test_the_count_stops_past_the_cap_and_every_page_is_reachable():
    world = World()
    add_leads(world, 1010)  # and the world's own lead: 1,011 on the team tab
    client = client_for(world.rm)
    inbox = reverse("financing_lead_inbox")
    first = client.get(f"{inbox}?tab=team", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "More than 1000 leads" in first
    assert "1 / 21+" in first
    last = client.get(f"{inbox}?tab=team&page=21", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1011 leads" in last
    assert "21 / 21<" in last
    assert last.count('data-testid="lead"') == 11
    mine = client.get(f"{inbox}?tab=mine", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "757 leads" in mine  # three in four are the RM's: an exact count below the cap
