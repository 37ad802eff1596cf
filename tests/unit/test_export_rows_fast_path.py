"""The match and lead exports read their rows with JIT off, as plain tuples of the columns
they write, the lifecycle stage and the overdue flag asked in the statement and every
label made once per export (docs/performance.md, sessions 12 and 13), and that changes no
cell: each row equals, cell by cell and type by type, the row worked out from the models
one object at a time (``tests.worlds.exports``), in Chinese and in English."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from ecosystem.core.exports import safe_cell
from ecosystem.enterprises.lifecycle import LifecycleStage
from ecosystem.financing.exports import LEAD_HEADER, MATCH_HEADER, leads_table, matches_table
from ecosystem.financing.models import Product
from tests.worlds.exports import (
    add_leads,
    add_matches,
    expected_lead_cells,
    expected_match_cells,
    head_office_rm,
    staff_of_two_banks,
    varied_leads,
    varied_matches,
)
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


LANGUAGES = ("zh-hans", "en")


def _assert_cells(got: list[list], expected: list[list], header) -> None:
    """Row by row, cell by cell, as the writers receive them (``safe_cell``): the same
    type and the same text (``repr``: a Decimal keeps its cents, ``Decimal('1.50')``)."""
    assert len(got) == len(expected), (len(got), len(expected))
    for i, (row, want) in enumerate(zip(got, expected, strict=True)):
        assert len(row) == len(want) == len(header), (i, row)
        for column, cell, cell_wanted in zip(header, row, want, strict=True):
            assert repr(safe_cell(cell)) == repr(cell_wanted), (
                f"row {i}, column {column}: {cell!r} != {cell_wanted!r}"
            )


def _csv(values: list[list]) -> list[list[str]]:
    out = io.StringIO()
    csv.writer(out).writerows(values)
    return list(csv.reader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("language", LANGUAGES)
def test_match_export_rows_equal_the_models_cell_by_cell(language):
    """Each row the export writes is the row worked out from the models, one match at a
    time (latest verified year, ``derive_stage``, consent looked up, labels in the
    language): every lifecycle stage, masked and shown firms, missing figures."""
    world = World()
    varied_matches(world)
    fast = Product.objects.get(code="a-fast")
    with translation.override(language):
        expected = expected_match_cells(world.bank, on=timezone.localdate())
        # The head office's RM: the varied firms are in zones no branch serves.
        for user in (world.manager, head_office_rm(world)):
            _assert_cells(list(matches_table(user=user, filters={}).rows), expected, MATCH_HEADER)
        one = matches_table(user=world.manager, filters={"product": str(fast.pk)})
        _assert_cells(list(one.rows), [r for r in expected if r[0] == fast.name], MATCH_HEADER)
        stages = {str(stage.label) for stage in LifecycleStage}
    assert {row[2] for row in expected} == stages  # every stage
    assert {row[7] for row in expected} == {_label("yes", language), _label("no", language)}
    shown = [row for row in expected if row[8]]
    assert any(row[13] == "" for row in shown) and any(row[13] == 2024 for row in shown)
    assert Decimal("1234567.89") in {row[5] for row in expected}
    assert Decimal("12345678.90") in {row[14] for row in expected}


def _label(word: str, language: str) -> str:
    return {
        ("yes", "en"): "yes",
        ("no", "en"): "no (masked)",
        ("yes", "zh-hans"): "是",
        ("no", "zh-hans"): "否（已脱敏）",
    }[word, language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_match_export_csv_equals_the_models(language):
    """The streamed file: the same rows, written in the request's language."""
    world = World()
    varied_matches(world)
    client = Client(headers={"accept-language": language})
    client.force_login(world.manager)
    _sql, rows = _export(client, reverse("financing_bank_matches_export", args=["csv"]))
    with translation.override(language):
        assert rows[0] == [str(h) for h in MATCH_HEADER]
        assert rows[1:] == _csv(expected_match_cells(world.bank, on=timezone.localdate()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_lead_export_rows_equal_the_models_cell_by_cell(language):
    """Each lead row is the one worked out from the lead's own fields and displays: masked
    without consent, overdue only when open, late and never contacted, blank needs."""
    world = World()
    varied_leads(world)
    with translation.override(language):
        got = list(leads_table(user=world.rm, filters={"tab": "team"}).rows)
        expected = expected_lead_cells(world.branch, now=timezone.now())
    _assert_cells(got, expected, LEAD_HEADER)
    assert {row[10] for row in expected} == {"✓", ""}  # overdue and not
    assert {row[1] == "" for row in expected} == {True, False}  # masked and shown
    assert Decimal("2500000.50") in {row[4] for row in expected}


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


def test_match_export_masks_per_bank_for_staff_of_two_banks():
    """Consent is per bank: a firm that consented to one of the user's two banks is shown
    on that bank's match and masked on the other's, in the same export."""
    world = staff_of_two_banks()
    with translation.override("en"):
        rows = list(matches_table(user=world.manager, filters={}).rows)
    shown = {row[8] for row in rows}
    assert len(rows) == 2 and shown == {world.enterprise.name, None}, rows


def test_match_page_rows_mask_per_bank_for_staff_of_two_banks():
    """The match list's rows (page and API) as the export: the firm's details only on the
    match of the bank it consented to."""
    from ecosystem.financing.selectors import match_rows, matches_for_bank

    world = staff_of_two_banks()
    matches = matches_for_bank(user=world.manager, product=None).filter(enterprise=world.enterprise)
    rows = {row.product_id: row.enterprise for row in match_rows(matches)}
    assert len(rows) == 2
    assert rows[world.version.product_id] is not None
    assert [
        details for product, details in rows.items() if product != world.version.product_id
    ] == [None]


def export_with_a_change_after_its_labels(monkeypatch, change) -> tuple[list, list, object]:
    """The bank's match export, with ``change(match)`` made to its first match's data
    after the export read its labels (the names of versions, zones and divisions) and
    before its rows' cursor opened; ``(rows, the rows expected, match)``."""
    from ecosystem.financing.models import Match
    from ecosystem.financing.selectors import match_exports

    world = World()
    varied_matches(world)
    match = Match.objects.filter(product__bank=world.bank).order_by("pk").first()
    read_labels = match_exports._export_labels

    def labels_then_the_change(products):
        labels = read_labels(products)
        change(match)
        return labels

    monkeypatch.setattr(match_exports, "_export_labels", labels_then_the_change)
    with translation.override("en"):  # both in one language, whatever ran before
        rows = list(matches_table(user=world.manager, filters={}).rows)
        expected = expected_match_cells(world.bank, on=timezone.localdate())
    return rows, expected, match


def test_a_version_made_while_the_match_export_runs_is_named(monkeypatch):
    """A product edited while its bank's export runs: the rematch writes matches of the new
    version after the export read the versions' numbers, and before its rows' cursor
    opened. The row carries the new version's number, not an error."""
    from ecosystem.financing.models import Match, ProductVersion

    def a_new_version(match):
        newer = ProductVersion.objects.get(pk=match.product_version_id)
        newer.pk, newer.number = None, newer.number + 10
        newer.save()
        Match.objects.filter(pk=match.pk).update(product_version=newer)

    rows, expected, match = export_with_a_change_after_its_labels(monkeypatch, a_new_version)
    assert [row[1] for row in rows] == [row[1] for row in expected]
    assert ProductVersion.objects.get(
        pk=Match.objects.get(pk=match.pk).product_version_id
    ).number in {row[1] for row in rows}


def test_a_zone_and_a_division_made_while_the_match_export_runs_are_named(monkeypatch):
    """A zone created, and an industry division added, after the export read the names of
    every zone and division, with a firm moved into both before the rows' cursor opened:
    its row names the new zone and the new division's section, not an error."""
    from ecosystem.enterprises.models import Enterprise, IndustryDivision
    from ecosystem.zones.models import Zone

    def a_new_zone_and_division(match):
        zone = Zone.objects.create(
            name_zh="新设园区", name_en="New Park", code="new-park", city="上海"
        )
        section = IndustryDivision.objects.select_related("section").first().section
        division = IndustryDivision.objects.create(
            section=section, code="99", name_zh="新门类", name_en="New division"
        )
        Enterprise.objects.filter(pk=match.enterprise_id).update(zone=zone, industry=division)

    rows, expected, _match = export_with_a_change_after_its_labels(
        monkeypatch, a_new_zone_and_division
    )
    assert [(row[3], row[4]) for row in rows] == [(row[3], row[4]) for row in expected]
    assert any("新设园区" in str(row[3]) or "New Park" in str(row[3]) for row in rows)
