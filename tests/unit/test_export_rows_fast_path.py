"""The match and lead exports read their rows with JIT off and without the product
version's criteria (docs/performance.md, session 12), and that changes no figure: each
exported match row equals the row the bank's list builds the slow way (every column
read, each firm's latest verified year looked up on its own)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from ecosystem.core.exports import safe_cell
from ecosystem.financing import selectors
from ecosystem.financing.exports import _match_row_values
from tests.worlds.exports import add_leads, add_matches
from tests.worlds.leads import World, client_for

pytestmark = pytest.mark.django_db


def _export(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    return [q["sql"] for q in captured.captured_queries], list(csv.reader(io.StringIO(body)))


def _jit_off_before_rows(sql: list[str], table: str) -> bool:
    """``SET LOCAL jit = off`` is issued before the statement that reads the rows."""
    reads = [i for i, s in enumerate(sql) if "CURSOR FOR SELECT" in s and table in s]
    sets = [i for i, s in enumerate(sql) if s.strip().upper() == "SET LOCAL JIT = OFF"]
    return bool(reads) and bool(sets) and min(sets) < min(reads)


def test_match_export_reads_rows_with_jit_off():
    world = World()
    add_matches(world, 5, start=0)
    sql, rows = _export(
        client_for(world.manager), reverse("financing_bank_matches_export", args=["csv"])
    )
    assert len(rows) == 1 + 5
    assert _jit_off_before_rows(sql, '"financing_match"'), "\n".join(sql)


def test_lead_export_reads_rows_with_jit_off():
    world = World()
    add_leads(world, 5, start=0)
    url = reverse("financing_lead_export", args=["csv"]) + "?tab=mine"
    sql, rows = _export(client_for(world.rm), url)
    assert len(rows) >= 1 + 5
    assert _jit_off_before_rows(sql, '"financing_lead"'), "\n".join(sql)


def _cells(values) -> list[str]:
    """A row as the CSV writer writes it."""
    out = io.StringIO()
    csv.writer(out).writerow([safe_cell(v) for v in values])
    return next(csv.reader(io.StringIO(out.getvalue())))


def test_match_export_rows_equal_the_slow_way():
    world = World()
    add_matches(world, 12, start=0)  # half of the firms have a verified year
    client = client_for(world.manager)
    with translation.override("zh-hans"):
        _sql, rows = _export(client, reverse("financing_bank_matches_export", args=["csv"]))
        matches = list(selectors.matches_for_bank(user=world.manager))  # every column
        expected = [
            _cells(_match_row_values(row))
            for row in selectors.match_rows(matches, on=timezone.localdate())  # years looked up
        ]
    assert rows[1:] == expected
    assert any(row[13] == "2025" for row in rows[1:]) and any(row[13] == "" for row in rows[1:])


def test_lead_export_labels_equal_the_model_display():
    """The labels read once per export are those ``get_<field>_display`` gives each lead,
    in the export's language, blank values included."""
    from ecosystem.financing.models import Lead

    world = World()
    add_leads(world, 6, start=0)
    leads = list(Lead.objects.filter(assigned_to=world.rm).order_by("pk"))
    purposes = [v for v, _ in Lead._meta.get_field("need_purpose").flatchoices if v]
    reasons = [v for v, _ in Lead._meta.get_field("decline_reason").flatchoices if v]
    for i, lead in enumerate(leads):
        lead.need_purpose = purposes[i % len(purposes)] if i % 3 else ""
        lead.decline_reason = reasons[i % len(reasons)] if i % 2 else ""
        lead.save(update_fields=["need_purpose", "decline_reason"])
    url = reverse("financing_lead_export", args=["csv"]) + "?tab=mine"
    with translation.override("zh-hans"):
        _sql, rows = _export(client_for(world.rm), url)
        by_code = {row[1]: row for row in rows[1:]}
        for lead in leads:
            row = by_code[lead.enterprise.uscc]
            assert row[5] == lead.get_need_purpose_display()
            assert row[7] == lead.get_need_collateral_display()
            assert row[8] == lead.get_status_display()
            assert row[14] == lead.get_decline_reason_display()
    assert any(row[14] for row in rows[1:]) and any(row[5] for row in rows[1:])
