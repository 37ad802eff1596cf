"""Time to decision on the zone and platform dashboards (issue #15): median and 90th
percentile working hours to first contact and to decision, and the share decided within
the product's promise, by bank, branch, zone, product and chain; pages in both languages,
exports and the APIs. Every figure is recomputed here lead by lead from the world."""

from __future__ import annotations

import csv
import io
import statistics
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.core.worktime import working_hours_between
from ecosystem.enterprises.models import Enterprise
from ecosystem.financing.models import Lead
from ecosystem.financing.summary_recount import summaries_rebuild
from tests.factories import (
    BranchFactory,
    EnterpriseFactory,
    LeadFactory,
    PlatformAdminFactory,
    ProductVersionFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)
from tests.worlds.decision_times import MONDAY, DecisionWorld, at
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db
D = Decimal
TENTH = D("0.1")


def _world():
    """The bank world's five leads, all of enterprises of one zone, and a sixth lead of
    another bank for an enterprise of another zone (contacted, decided on time)."""
    world = DecisionWorld()
    world.zone = ZoneFactory(code="dz")
    Enterprise.objects.filter(leads__in=world.leads.values()).update(zone=world.zone)
    other_zone = ZoneFactory(code="oz")
    version = ProductVersionFactory(product__code="prod-c")
    lead = LeadFactory(
        enterprise=EnterpriseFactory(zone=other_zone),
        product_version=version,
        branch=BranchFactory(bank=version.product.bank),
        status=Lead.Status.OFFER_MADE,
    )
    Lead.objects.filter(pk=lead.pk).update(
        created_at=MONDAY,
        first_contact_at=at(2026, 11, 16, 12),
        decided_at=at(2026, 11, 16, 14),
        decision_due_at=at(2026, 11, 17, 9),
    )
    world.other_zone, world.other_bank = other_zone, version.product.bank
    summaries_rebuild()  # the rows above were written past the services
    return world


def expected(leads) -> dict:
    """The figures of ``leads`` recomputed one lead at a time."""
    now = timezone.now()
    contact = [
        working_hours_between(x.created_at, x.first_contact_at) for x in leads if x.first_contact_at
    ]
    decision = [working_hours_between(x.created_at, x.decided_at) for x in leads if x.decided_at]
    due = [x for x in leads if x.decision_due_at and (x.decided_at or x.decision_due_at < now)]
    on_time = [x for x in due if x.decided_at and x.decided_at <= x.decision_due_at]

    def mid(values):
        return D(statistics.median(values)).quantize(TENTH) if values else None

    def p90(values):
        if len(values) < 2:
            return mid(values)
        return D(statistics.quantiles(sorted(values), n=10, method="inclusive")[-1]).quantize(TENTH)

    return {
        "leads": len(leads),
        "contact_median_hours": mid(contact),
        "contact_p90_hours": p90(contact),
        "decision_median_hours": mid(decision),
        "decision_p90_hours": p90(decision),
        "decision_due": len(due),
        "decided_on_time": len(on_time),
        "decided_on_time_share": (D(100) * len(on_time) / len(due)).quantize(TENTH)
        if due
        else None,
    }


def _subset(row: dict) -> dict:
    return {k: row[k] for k in expected([]) if k in row}


def test_the_zone_dashboard_counts_its_enterprises_leads_by_bank_branch_product():
    world = _world()
    official = ZoneOfficialFactory(zone=world.zone)
    figures = client_for(official).get(reverse("zone_dashboard")).context["figures"]
    decision = figures["decision"]
    zone_leads = list(Lead.objects.filter(enterprise__zone=world.zone))
    assert len(zone_leads) == 5
    assert _subset(decision["overall"]) == expected(zone_leads)
    # Hand check of the overall: contact 1, 2, 4 h; decision 8, 9, 36 h; l1 and l4 on time.
    assert (
        decision["overall"]["contact_median_hours"],
        decision["overall"]["decision_median_hours"],
    ) == (D("2.0"), D("9.0"))
    assert (decision["overall"]["decision_due"], decision["overall"]["decided_on_time"]) == (4, 2)
    assert [r["key"] for r in decision["banks"]] == [world.bank.pk]  # not the other bank
    for name, attr in (("branches", "branch_id"), ("products", "product_id")):
        for row in decision[name]:
            group = [x for x in zone_leads if getattr(x, attr) == row["key"]]
            assert _subset(row) == expected(group), (name, row["label"])
    assert {r["key"] for r in decision["branches"]} == {b.pk for b in world.branches.values()}


def test_the_platform_dashboard_counts_every_lead_by_bank_and_zone():
    world = _world()
    figures = (
        client_for(PlatformAdminFactory()).get(reverse("platform_dashboard")).context["figures"]
    )
    decision = figures["decision"]
    every = list(Lead.objects.all())
    assert _subset(decision["overall"]) == expected(every)
    for name, attr in (("banks", "bank_id"), ("products", "product_id")):
        assert len(decision[name]) == len({getattr(x, attr) for x in every})
        for row in decision[name]:
            group = [x for x in every if getattr(x, attr) == row["key"]]
            assert _subset(row) == expected(group), (name, row["label"])
    zones = {r["key"]: r for r in decision["zones"]}
    assert set(zones) == {world.zone.pk, world.other_zone.pk}
    other = zones[world.other_zone.pk]
    assert (other["contact_median_hours"], other["decision_median_hours"]) == (D("3.0"), D("5.0"))
    assert other["decided_on_time_share"] == D("100.0")


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Time to decision by bank"), ("zh-hans", "按银行的决策用时")]
)
def test_the_pages_show_the_tables_in_both_languages_and_export_them(language, title):
    world = _world()
    official = ZoneOfficialFactory(zone=world.zone)
    for client, page, export in (
        (client_for(official), "zone_dashboard", "zone_dashboard_export"),
        (client_for(PlatformAdminFactory()), "platform_dashboard", "platform_dashboard_export"),
    ):
        client.cookies["django_language"] = language
        response = client.get(reverse(page), HTTP_ACCEPT_LANGUAGE=language)
        body = response.content.decode()
        assert 'data-testid="table-decision_banks"' in body, page
        assert title in body, (page, language)
        rows = {r[0]: r for r in response.context["tables"]["decision_banks"]["rows"]}
        row = rows[world.bank.name]
        bank = expected(
            list(
                Lead.objects.filter(bank=world.bank, enterprise__zone=world.zone)
                if page == "zone_dashboard"
                else Lead.objects.filter(bank=world.bank)
            )
        )
        assert row[1] == bank["leads"]
        assert row[5] == bank["decision_median_hours"]
        url = reverse(export, args=["decision_products", "csv"])
        text = b"".join(client.get(url, HTTP_ACCEPT_LANGUAGE=language).streaming_content).decode(
            "utf-8-sig"
        )
        table = list(csv.reader(io.StringIO(text)))
        assert len(table) == 1 + len(response.context["tables"]["decision_products"]["rows"])
        cells = {cell for line in table for cell in line}
        for shown in response.context["tables"]["decision_products"]["rows"]:
            assert str(shown[5]) in cells


def test_the_apis_carry_the_same_figures():
    world = _world()
    for user, name in (
        (ZoneOfficialFactory(zone=world.zone), "api-zone-dashboard"),
        (PlatformAdminFactory(), "api-platform-dashboard"),
    ):
        api = APIClient()
        api.force_authenticate(user)
        body = api.get(reverse(name)).json()
        decision = body["decision"]
        leads = list(
            Lead.objects.filter(enterprise__zone=world.zone)
            if name == "api-zone-dashboard"
            else Lead.objects.all()
        )
        want = expected(leads)
        assert decision["overall"]["leads"] == want["leads"]
        assert D(decision["overall"]["decision_median_hours"]) == want["decision_median_hours"]
        assert D(decision["overall"]["contact_p90_hours"]) == want["contact_p90_hours"]
        assert D(decision["overall"]["decided_on_time_share"]) == want["decided_on_time_share"]
        assert {"banks", "products", "chains"} <= set(decision)
