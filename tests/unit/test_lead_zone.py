"""The enterprise's zone kept on each lead (``Lead.zone``, financing 0029): set when the
service opens the lead, moved with the firm in the zone move's transaction, filled by the
migration from the firms, reported by the drift check and repaired by the rebuild; the
dashboards' leads with a clock still ahead are grouped and filtered by it, without
reading the firms."""

from __future__ import annotations

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecosystem.financing.models import Lead
from ecosystem.financing.summary_facts import lead_zones_drift, leads_refresh_zones
from ecosystem.financing.summary_recount import summaries_drift, summaries_rebuild
from ecosystem.insights.ahead import _ahead_rows
from ecosystem.insights.summary import SummaryScope
from tests.factories import EnterpriseFactory, LeadFactory, ZoneFactory
from tests.worlds.lead_walk import Walk
from tests.worlds.summary_figures import assert_same_figures

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("ecosystem.financing.migrations.0029_lead_zone")


def test_a_lead_opened_by_the_service_carries_its_firms_zone():
    walk = Walk()
    for zone in walk.zones:
        lead = walk.open_in(zone)
        assert Lead.objects.get(pk=lead.pk).zone_id == zone.pk == lead.enterprise.zone_id


def test_a_zone_move_moves_the_firms_leads_and_the_figures_still_equal_the_recount():
    walk = Walk()
    ahead = walk.open_in(walk.zones[0])  # both clocks just started: due times ahead
    second = walk.open_in(walk.zones[0])
    other = walk.open_in(walk.zones[0], version=walk.versions[1])  # stays behind
    now = timezone.now()
    assert ahead.due_at > now and ahead.decision_due_at > now

    walk.move_zone(ahead, walk.members[ahead.enterprise_id])

    moved, stayed = walk.zones[1].pk, walk.zones[0].pk
    assert Lead.objects.get(pk=ahead.pk).zone_id == moved
    assert set(
        Lead.objects.filter(pk__in=[second.pk, other.pk]).values_list("zone_id", flat=True)
    ) == {stayed}
    assert lead_zones_drift()["lead_zones"]["differing"] == 0
    # Every zone-level figure, with the moved lead still due ahead: the summary's rows and
    # the leads ahead (read by the lead's zone) against the leads counted one by one.
    for zone_id in (moved, stayed):
        leads = Lead.objects.filter(enterprise__zone_id=zone_id)
        assert_same_figures(SummaryScope(zone_id=zone_id), leads, now)
    assert_same_figures(SummaryScope(), Lead.objects.all(), now)
    rows = _ahead_rows(SummaryScope(zone_id=moved), now)
    assert {(row[1], row[6]) for row in rows} == {(ahead.pk, moved)}
    assert {row[0] for row in rows} == {0, 1}  # its first contact and its decision


def test_the_leads_ahead_are_read_without_the_firms():
    lead = LeadFactory()
    Lead.objects.filter(pk=lead.pk).update(
        due_at=timezone.now() + timedelta(hours=3),
        decision_due_at=timezone.now() + timedelta(days=3),
    )
    for scope in (SummaryScope(), SummaryScope(zone_id=lead.zone_id)):
        with CaptureQueriesContext(connection) as captured:
            rows = _ahead_rows(scope, timezone.now())
        assert [row[6] for row in rows] == [lead.zone_id, lead.zone_id]
        assert len(captured) == 1
        assert "enterprises_enterprise" not in captured[0]["sql"]
    assert _ahead_rows(SummaryScope(zone_id=ZoneFactory().pk), timezone.now()) == []


def lead_without_zone(made: Lead, firm) -> Lead:
    """An unsaved lead of ``firm`` on ``made``'s product and branch, naming no zone."""
    return Lead(
        enterprise=firm,
        product=made.product,
        product_version=made.product_version,
        bank=made.bank,
        branch=made.branch,
        source=Lead.Source.APPLY,
        indicative_limit=made.indicative_limit,
    )


def test_a_lead_saved_without_a_zone_takes_its_firms():
    lead = lead_without_zone(LeadFactory(), EnterpriseFactory())
    lead.save()
    assert lead.zone_id == lead.enterprise.zone_id
    assert Lead.objects.get(pk=lead.pk).zone_id == lead.enterprise.zone_id


def test_a_zone_written_past_the_services_is_reported_and_the_rebuild_repairs_it():
    lead, kept = LeadFactory(), LeadFactory()
    elsewhere = ZoneFactory()
    Lead.objects.filter(pk=lead.pk).update(zone=elsewhere)  # past the services

    drift = summaries_drift()["lead_zones"]
    assert drift == {
        "differing": 1,
        "examples": [repr((lead.pk, elsewhere.pk, lead.enterprise.zone_id))],
    }
    built = summaries_rebuild()
    assert built["lead_zones_refreshed"] == 1
    assert Lead.objects.get(pk=lead.pk).zone_id == lead.enterprise.zone_id
    assert Lead.objects.get(pk=kept.pk).zone_id == kept.enterprise.zone_id
    assert all(part["differing"] == 0 for part in summaries_drift().values())
    assert leads_refresh_zones() == 0


@pytest.mark.parametrize("vendor", ["this database", "any other"])
def test_the_migration_fills_each_leads_zone_from_its_firm(vendor):
    """The migration's fill, on this database's path (the table rewritten on
    PostgreSQL) and on the portable one (a correlated subquery, as on SQLite)."""
    leads = [LeadFactory(), LeadFactory(), LeadFactory()]
    elsewhere = ZoneFactory()
    # As the column was before the fill: no lead carries its firm's zone.
    Lead.objects.update(zone=elsewhere)
    with connection.cursor() as cursor:  # the factories' deferred key checks, done now:
        if connection.vendor == "postgresql":  # PostgreSQL alters no table with some pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    editor = SimpleNamespace(
        connection=connection if vendor == "this database" else SimpleNamespace(vendor="other")
    )

    MIGRATION.trigger_drop(apps, editor)  # as before the migration (rolled back after)
    MIGRATION.fill(apps, editor)
    MIGRATION.trigger_add(apps, editor)
    for lead in leads:
        assert Lead.objects.get(pk=lead.pk).zone_id == lead.enterprise.zone_id
    assert lead_zones_drift()["lead_zones"]["differing"] == 0


def test_a_lead_inserted_without_a_zone_takes_its_firms_from_the_database(require_postgres):
    """As the previous release inserts leads while this one deploys, or a bulk writer
    that names no zone: the insert trigger of financing 0029 gives the firm's."""
    made = LeadFactory()
    firm = EnterpriseFactory(zone=ZoneFactory())
    [lead] = Lead.objects.bulk_create([lead_without_zone(made, firm)])
    assert Lead.objects.get(pk=lead.pk).zone_id == firm.zone_id != made.zone_id
