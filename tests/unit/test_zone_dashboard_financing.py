"""The zone dashboard's financing stages: matched, lead, offer and disbursed enterprises
with amounts, the banks' response to the zone's enterprises, and the leads overdue now.
Expected figures are counted by hand from what the test did."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ecosystem.financing.models import Lead, Match
from ecosystem.financing.summary_recount import summaries_rebuild
from tests.factories import EnterpriseFactory, ZoneOfficialFactory
from tests.worlds.leads import client_for
from tests.worlds.pipeline import Pipeline

pytestmark = pytest.mark.django_db


def test_zone_funnel_counts_financing_stages_and_amounts():
    world = Pipeline()  # five leads of the zone's enterprises, one financed
    zone = world.enterprise.zone
    official = ZoneOfficialFactory(zone=zone)
    elsewhere = EnterpriseFactory()  # another zone's lead must not count
    Lead.objects.create(
        enterprise=elsewhere,
        product=world.version.product,
        product_version=world.version,
        bank=world.bank,
        branch=world.branch,
        source=Lead.Source.APPLY,
        indicative_limit=Decimal("1"),
    )
    for enterprise in (world.enterprise, world.financed.enterprise, elsewhere):
        Match.objects.create(
            enterprise=enterprise,
            product_version=world.version,
            product=world.version.product,
            score=50,
            indicative_limit=Decimal("1000000"),
            computed_at=timezone.now(),
        )
    Lead.objects.filter(pk=world.untouched.pk).update(due_at=timezone.now() - timedelta(hours=3))
    summaries_rebuild()  # the lead and matches above were written past the services

    response = client_for(official).get(reverse("zone_dashboard"))
    figures = response.context["figures"]
    funnel = dict(figures["funnel"])
    assert funnel["matched"] == 2
    assert funnel["lead"] == 5
    assert funnel["offer"] == 3
    assert funnel["disbursed"] == 1
    assert figures["offered_amount"] == Decimal("1500000")
    assert figures["disbursed_amount"] == Decimal("750000")
    assert figures["sla"].overdue_open == 1
    assert [lead.pk for lead in figures["overdue_leads"]] == [world.untouched.pk]
    overdue = response.context["tables"]["overdue"]["rows"]
    assert overdue[0][0] == world.enterprise.name
    assert Decimal("2.9") <= overdue[0][-1] <= Decimal("3.1")
    assert 'data-testid="table-overdue"' in response.content.decode()


def test_another_zone_s_official_sees_none_of_it():
    Pipeline()
    official = ZoneOfficialFactory()
    figures = client_for(official).get(reverse("zone_dashboard")).context["figures"]
    assert dict(figures["funnel"])["lead"] == 0
    assert figures["overdue_leads"] == []


def test_the_zone_dashboard_api_has_the_financing_figures():
    from rest_framework.test import APIClient

    world = Pipeline()
    official = ZoneOfficialFactory(zone=world.enterprise.zone)
    Lead.objects.filter(pk=world.untouched.pk).update(due_at=timezone.now() - timedelta(hours=3))
    client = APIClient()
    client.force_authenticate(official)
    body = client.get(reverse("api-zone-dashboard")).json()
    funnel = {row["stage"]: row["count"] for row in body["funnel"]}
    assert (funnel["lead"], funnel["offer"], funnel["disbursed"]) == (5, 3, 1)
    assert Decimal(body["disbursed_amount"]) == Decimal("750000")
    assert body["sla"]["overdue_open"] == 1
    assert [lead["id"] for lead in body["overdue_leads"]] == [world.untouched.pk]


def test_the_overdue_list_holds_the_zones_oldest_overdue_leads_in_due_order(monkeypatch):
    """Only the first ``OVERDUE_SHOWN`` of the zone's overdue leads (by due time, then id),
    none of another zone's, none answered or closed, whatever came first overall."""
    from ecosystem.insights import zone as zone_figures
    from tests.factories import LeadFactory, ProductVersionFactory

    monkeypatch.setattr(zone_figures, "OVERDUE_SHOWN", 3)
    version = ProductVersionFactory()
    mine, other = EnterpriseFactory().zone, EnterpriseFactory().zone
    official = ZoneOfficialFactory(zone=mine)
    now = timezone.now()
    ages = {"oldest_elsewhere": (other, 30), "tie_a": (mine, 9), "tie_b": (mine, 9)}
    ages |= {"newer": (mine, 5), "newest": (mine, 1), "answered": (mine, 20)}
    ages |= {"closed": (mine, 25), "ahead": (mine, -2), "also_elsewhere": (other, 8)}
    leads = {  # one open lead per firm and product: a firm each
        name: LeadFactory(enterprise=EnterpriseFactory(zone=zone), product_version=version)
        for name, (zone, _hours) in ages.items()
    }
    for name, (_zone, hours) in ages.items():
        Lead.objects.filter(pk=leads[name].pk).update(due_at=now - timedelta(hours=hours))
    Lead.objects.filter(pk=leads["answered"].pk).update(first_contact_at=now)
    Lead.objects.filter(pk=leads["closed"].pk).update(status=Lead.Status.WITHDRAWN)
    summaries_rebuild()

    figures = client_for(official).get(reverse("zone_dashboard")).context["figures"]
    tie = sorted([leads["tie_a"].pk, leads["tie_b"].pk])
    assert [lead.pk for lead in figures["overdue_leads"]] == [*tie, leads["newer"].pk]
    assert figures["overdue_leads"][0].enterprise.zone == mine  # read with its firm
