"""The bank exports log the firms they show before showing any. Written while the request
waits (at most ``EXPORT_ROW_LIMIT`` rows), the log is made from the rows read, one
``INSERT`` of two arrays that reads no match or lead again; a longer export (a job) logs
the same firms with one ``INSERT … SELECT`` over its scope. Either way each consenting
firm is logged once per bank, masked ones never. The rows' times are read as the wall
clock shows them, and the consent probe reads the active consents' unique index alone."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from ecosystem.core import exports
from ecosystem.core.db import WallClock
from ecosystem.enterprises.models import AccessLogEntry, Consent
from ecosystem.financing.exports import LEADS_SECTION, MATCHES_SECTION, leads_table, matches_table
from ecosystem.financing.models import Lead, Match
from tests.worlds.exports import varied_leads, varied_matches
from tests.worlds.leads import World

pytestmark = pytest.mark.django_db


def _consenting(pairs) -> set[tuple[int, int]]:
    """The ``(enterprise, bank)`` pairs of ``pairs`` holding an active consent."""
    return {
        pair
        for pair in pairs
        if Consent.objects.filter(
            enterprise_id=pair[0], bank_id=pair[1], revoked_at__isnull=True
        ).exists()
    }


def _logged(section: str, viewer) -> list[tuple[int, int]]:
    return list(
        AccessLogEntry.objects.filter(section=section, viewer=viewer).values_list(
            "enterprise_id", "bank_id"
        )
    )


def _first_row_then_rest(table, section: str, viewer):
    """The log as it stands when the first row comes, all the rows, and the log's SQL."""
    with CaptureQueriesContext(connection) as captured:
        rows = iter(table.rows)
        first = next(rows)
        logged_then = _logged(section, viewer)
        rest = list(rows)
    inserts = [
        q["sql"]
        for q in captured.captured_queries
        if "INSERT INTO enterprises_accesslogentry" in q["sql"]
    ]
    return logged_then, [first, *rest], inserts


def _team_leads(world):
    return leads_table(user=world.rm, filters={"tab": "team"})


@pytest.mark.parametrize("limit", [None, 2], ids=["inline", "job"])
def test_match_export_logs_each_shown_firm_once_before_its_first_row(monkeypatch, limit):
    world = World()
    varied_matches(world)
    if limit is not None:
        monkeypatch.setattr(exports, "EXPORT_ROW_LIMIT", limit)
    matches = Match.objects.filter(product__bank=world.bank)
    expected = _consenting(matches.values_list("enterprise_id", "product__bank_id"))
    assert 3 <= len(expected) < matches.count()  # masked ones, and firms matched twice
    with translation.override("en"):
        table = matches_table(user=world.manager, filters={})
        logged, rows, inserts = _first_row_then_rest(table, MATCHES_SECTION, world.manager)
    assert sorted(logged) == sorted(expected)  # each once, and before the first row
    assert _logged(MATCHES_SECTION, world.manager) == logged  # nothing more afterwards
    assert len(rows) == matches.count()
    assert len(inserts) == 1
    # inline: from the rows read; a job: its scope read by the statement
    assert ("financing_match" in inserts[0]) is (limit is not None), inserts[0]


@pytest.mark.parametrize("limit", [None, 2], ids=["inline", "job"])
def test_lead_export_logs_each_shown_firm_once_before_its_first_row(monkeypatch, limit):
    world = World()
    varied_leads(world)
    if limit is not None:
        monkeypatch.setattr(exports, "EXPORT_ROW_LIMIT", limit)
    leads = Lead.objects.filter(branch=world.branch)
    expected = _consenting(leads.values_list("enterprise_id", "bank_id"))
    assert 3 <= len(expected) < leads.count()  # one firm revoked its consent
    with translation.override("en"):
        logged, rows, inserts = _first_row_then_rest(_team_leads(world), LEADS_SECTION, world.rm)
    assert sorted(logged) == sorted(expected)
    assert _logged(LEADS_SECTION, world.rm) == logged
    assert len(rows) == leads.count()
    assert len(inserts) == 1
    assert ("financing_lead" in inserts[0]) is (limit is not None), inserts[0]


def test_lead_export_reads_its_times_as_the_wall_clock_shows_them():
    """Due and created times come out of the statement as the time in the current time
    zone without a zone (``WallClock``): what ``safe_cell`` made of the aware ones."""
    world = World()
    varied_leads(world)
    rows = list(_team_leads(world).rows)
    created = sorted(row[13] for row in rows)
    assert all(isinstance(value, datetime) and value.tzinfo is None for value in created)
    assert created == sorted(
        timezone.localtime(lead.created_at).replace(tzinfo=None)
        for lead in Lead.objects.filter(branch=world.branch)
    )
    due = [row[9] for row in rows if row[9] is not None]
    assert due and all(value.tzinfo is None for value in due)


def test_wall_clock_is_the_time_in_the_current_time_zone():
    world = World()
    created = world.lead.created_at
    for zone in ("Asia/Shanghai", "UTC", "America/New_York"):
        with timezone.override(zone):
            value = Lead.objects.annotate(t=WallClock("created_at")).values_list("t", flat=True)
            assert list(value) == [timezone.localtime(created).replace(tzinfo=None)], zone


@pytest.mark.parametrize("export", ["matches", "leads"])
def test_consent_probe_reads_the_unique_index_alone(export):
    """The probe selects a column of the active consents' unique index (enterprise, bank,
    purpose), so it can be an index-only scan of it rather than a scan of the firm's
    consents and their rows (as it was for the consent's id)."""
    world = World()
    if export == "matches":
        varied_matches(world)
        table = matches_table(user=world.manager, filters={})
    else:
        varied_leads(world)
        table = _team_leads(world)
    with CaptureQueriesContext(connection) as captured:
        list(table.rows)
    statement = next(q["sql"] for q in captured.captured_queries if "CURSOR FOR SELECT" in q["sql"])
    select = statement[statement.index("CURSOR FOR ") + len("CURSOR FOR ") :]
    with connection.cursor() as cursor:
        # a small world's tables are read whole: ask for the plan of a large one
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + select)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using consent_one_active_per_bank_purpose" in plan, plan
