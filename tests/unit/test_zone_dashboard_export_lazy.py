"""Exporting one table of the zone dashboard computes that table's figures only (at
national size the whole dashboard takes most of a second; one table a fraction)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import ZoneOfficialFactory
from tests.worlds.leads import client_for
from tests.worlds.pipeline import Pipeline
from tests.worlds.plans import assert_export_reads_only_its_table

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("table", "reads", "skips"),
    [
        ("stages", "enterprises_zonesummary", "financing_leadduration"),
        ("decision_chains", "financing_chainleadduration", "enterprises_zonesummary"),
        ("programs", "enterprises_zoneprogramverified", "financing_leadsummary"),
    ],
)
def test_an_export_computes_only_its_own_table(table, reads, skips):
    world = Pipeline()
    zone = world.enterprise.zone
    client = client_for(ZoneOfficialFactory(zone=zone))
    response = assert_export_reads_only_its_table(
        client,
        reverse("zone_dashboard_export", args=[table, "csv"]) + f"?zone={zone.pk}",
        reverse("zone_dashboard") + f"?zone={zone.pk}",
        reads=reads,
        skips=skips,
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))) >= 1
