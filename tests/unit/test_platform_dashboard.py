"""The platform dashboard: every zone side by side, the whole funnel, money, ageing, the
banks' response, conversion by bank and chain; exports; platform admins only.

Per-zone figures are recomputed here by walking the objects one by one in Python (not
with the grouped queries the page uses), plus a few counted by hand."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.enterprises.workflow import AWAITING_DECISION, ClaimStatus
from ecosystem.financing import workflow
from ecosystem.financing.models import Disbursement, Lead, Match, Offer
from tests.factories import (
    PlatformAdminFactory,
    ZoneOfficialFactory,
)
from tests.worlds.leads import client_for
from tests.worlds.pipeline import Pipeline, second_zone
from tests.worlds.plans import assert_export_reads_only_its_table

pytestmark = pytest.mark.django_db


def recomputed(zone) -> dict:
    """One zone's figures, walking the objects one by one."""
    mine = {e.pk for e in Enterprise.objects.all() if e.zone_id == zone.pk}
    verified = {
        c.enterprise_id
        for c in QualificationClaim.objects.all()
        if c.status == ClaimStatus.VERIFIED and c.enterprise_id in mine
    }
    leads = [lead for lead in Lead.objects.all() if lead.enterprise_id in mine]
    offers = [o for o in Offer.objects.select_related("lead") if o.lead.enterprise_id in mine]
    paid = [d for d in Disbursement.objects.select_related("lead") if d.lead.enterprise_id in mine]
    now = timezone.now()
    return {
        "registered": len(mine),
        "verified": len(verified),
        "matched": len({m.enterprise_id for m in Match.objects.all()} & mine),
        "lead": len({lead.enterprise_id for lead in leads}),
        "offer": len({o.lead.enterprise_id for o in offers}),
        "disbursed": len({d.lead.enterprise_id for d in paid}),
        "disbursed_amount": sum((d.amount for d in paid), Decimal("0")),
        "waiting": sum(
            1
            for c in QualificationClaim.objects.all()
            if c.enterprise_id in mine and c.status in AWAITING_DECISION
        ),
        "overdue": sum(
            1
            for lead in leads
            if lead.status in workflow.OPEN
            and lead.due_at
            and lead.due_at < now
            and lead.first_contact_at is None
        ),
    }


def test_every_zone_side_by_side_matches_a_count_by_hand():
    world = Pipeline()  # five leads in the pipeline zone, three offers, one financed
    other = second_zone(world)
    admin = PlatformAdminFactory()
    response = client_for(admin).get(reverse("platform_dashboard"))
    assert response.status_code == 200
    rows = {row.zone.pk: row for row in response.context["figures"]["zones"]}

    home = rows[world.enterprise.zone_id]
    assert (home.lead, home.offer, home.disbursed) == (5, 3, 1)
    assert home.disbursed_amount == Decimal("750000")
    there = rows[other.pk]
    assert (there.registered, there.lead, there.matched, there.overdue) == (2, 1, 1, 1)
    assert (there.waiting, there.waiting_over_target) == (1, 1)
    assert there.sla_due == 1 and there.sla_on_time == 0 and there.sla_compliance == Decimal("0")

    for row in rows.values():
        expected = recomputed(row.zone)
        got = {key: getattr(row, key) for key in expected}
        assert got == expected, row.zone.code
    html = response.content.decode()
    assert 'data-testid="table-zones"' in html and 'data-chart="zones"' in html


def test_the_totals_are_the_sum_of_the_zones_and_money_and_banks_agree():
    world = Pipeline()
    second_zone(world)
    figures = (
        client_for(PlatformAdminFactory()).get(reverse("platform_dashboard")).context["figures"]
    )
    funnel = dict(figures["funnel"])
    for stage in ("registered", "verified", "matched", "lead", "offer", "disbursed"):
        assert funnel[stage] == sum(getattr(row, stage) for row in figures["zones"]), stage
    assert funnel["lead"] == 6 and funnel["disbursed"] == 1
    assert figures["amounts"]["disbursed"] == Decimal("750000")
    assert figures["amounts"]["offered"] == Decimal("1500000")  # 300k + 400k + 800k
    assert figures["waiting"] == 1 and figures["ageing"][">10"] == 1
    assert figures["sla"].overdue_open == 1
    (bank,) = figures["banks"]
    assert (bank["leads"], bank["disbursed"]) == (6, 1)


def test_queries_do_not_grow_with_the_number_of_zones():
    world = Pipeline()
    second_zone(world)
    client = client_for(PlatformAdminFactory())
    url = reverse("platform_dashboard")
    client.get(url)  # warm caches (session, site, calendar)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        second_zone(world)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["figures"]["zones"]) >= 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_every_table_exports_as_csv_and_xlsx():
    world = Pipeline()
    other = second_zone(world)
    client = client_for(PlatformAdminFactory())
    response = client.get(reverse("platform_dashboard_export", args=["zones", "csv"]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    names = [r[0] for r in rows[1:]]
    assert other.name_zh in names or other.name_en in names
    assert len(rows) == 1 + len(names)
    home = world.enterprise.zone
    (home_row,) = [r for r in rows[1:] if r[0] in (home.name_zh, home.name_en)]
    assert home_row[8] == "750000.00"  # money with two decimals on every database
    response = client.get(reverse("platform_dashboard_export", args=["banks", "xlsx"]))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][1] == 6  # the bank's leads
    assert client.get(reverse("platform_dashboard_export", args=["nope", "csv"])).status_code == 404


@pytest.mark.parametrize(
    ("table", "reads", "skips"),
    [
        ("funnel", "financing_zonefinancing", "financing_leadduration"),
        ("decision_chains", "financing_chainleadsummary", "financing_zonefinancing"),
        ("zones", "financing_zonefinancing", "financing_chainleadsummary"),
    ],
)
def test_an_export_computes_only_its_own_table(table, reads, skips):
    """Exporting one table reads that table's figures, not every figure of the page (at
    national size the page's figures take seconds; one table's a fraction of that)."""
    world = Pipeline()
    second_zone(world)
    client = client_for(PlatformAdminFactory())
    assert_export_reads_only_its_table(
        client,
        reverse("platform_dashboard_export", args=[table, "csv"]),
        reverse("platform_dashboard"),
        reads=reads,
        skips=skips,
    )


@pytest.mark.parametrize("who", ["official", "anonymous"])
def test_only_platform_admins_see_it(who):
    world = Pipeline()
    if who == "official":
        client = client_for(ZoneOfficialFactory(zone=world.enterprise.zone))
        assert client.get(reverse("platform_dashboard")).status_code == 404
        assert (
            client.get(reverse("platform_dashboard_export", args=["zones", "csv"])).status_code
            == 404
        )
    else:
        response = client_for(None).get(reverse("platform_dashboard"))
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_admin_finds_it_in_the_navigation_in_both_languages():
    client = client_for(PlatformAdminFactory())
    client.post(reverse("set_language"), {"language": "zh-hans"})
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="nav-platform-dashboard"' in html
    page = client.get(reverse("platform_dashboard")).content.decode()
    assert "平台看板" in page
    client.post(reverse("set_language"), {"language": "en"})
    assert "Platform dashboard" in client.get(reverse("platform_dashboard")).content.decode()


def test_the_api_gives_the_same_figures_to_platform_admins_only():
    from rest_framework.test import APIClient

    world = Pipeline()
    other = second_zone(world)

    def api(user):
        client = APIClient()
        client.force_authenticate(user)  # admins and officials get no API tokens
        return client

    url = reverse("api-platform-dashboard")
    body = api(PlatformAdminFactory()).get(url).json()
    zones = {row["zone_id"]: row for row in body["zones"]}
    assert zones[other.pk]["overdue"] == 1 and zones[other.pk]["waiting_over_target"] == 1
    home = zones[world.enterprise.zone_id]
    assert (home["lead"], home["disbursed"], home["disbursed_amount"]) == (5, 1, "750000.00")
    assert {s["stage"]: s["count"] for s in body["funnel"]}["lead"] == 6
    assert body["amounts"]["offered"] == "1500000.00"
    assert body["banks"][0]["leads"] == 6
    official = ZoneOfficialFactory(zone=world.enterprise.zone)
    assert api(official).get(url).status_code == 404
    assert APIClient().get(url).status_code == 401
