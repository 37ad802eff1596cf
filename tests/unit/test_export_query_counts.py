"""The bank's streamed exports make the same number of SQL queries for 10 rows as for
1,000 (issue #19: nationally the match export made 53 queries against 11 on a small world,
the lead export 18 against 8). Rows are read in one query (a server-side cursor, the
latest verified year of each firm read in it), and the access log of the consenting firms
shown is one ``INSERT … SELECT``, not one per chunk of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecosystem.enterprises.models import AccessLogEntry
from tests.worlds.exports import add_leads, add_matches
from tests.worlds.leads import World, client_for

pytestmark = pytest.mark.django_db


def export(client, url: str) -> tuple[int, list[str], list[str]]:
    """Queries of the request and of reading its whole body, the SQL, and the lines."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    return len(captured), [q["sql"] for q in captured.captured_queries], body.splitlines()


def test_match_export_queries_do_not_grow_with_rows():
    world = World()
    client = client_for(world.manager)
    url = reverse("financing_bank_matches_export", args=["csv"])
    add_matches(world, 10, start=0)
    client.get(reverse("financing_bank_matches"))  # warm the session
    few, _, lines = export(client, url)
    assert len(lines) == 1 + 10
    add_matches(world, 990, start=10)
    logged = AccessLogEntry.objects.filter(section="matches-export").count()
    many, sql, lines = export(client, url)
    assert len(lines) == 1 + 1_000
    assert many == few, "\n".join(sql)
    # Every consenting firm shown is logged once, in one statement.
    assert AccessLogEntry.objects.filter(section="matches-export").count() - logged == 1_000
    # The verified figures are in the rows: half of the firms have a verified year.
    assert sum(",2025," in line for line in lines) == 500


def test_lead_export_queries_do_not_grow_with_rows():
    world = World()
    client = client_for(world.rm)
    url = reverse("financing_lead_export", args=["csv"]) + "?tab=mine"
    add_leads(world, 10, start=0)
    client.get(reverse("financing_lead_inbox"))  # warm the session
    few, _, lines = export(client, url)
    add_leads(world, 990, start=10)
    logged = AccessLogEntry.objects.filter(section="leads-export").count()
    many, sql, lines = export(client, url)
    assert len(lines) >= 1 + 1_000
    assert many == few, "\n".join(sql)
    assert AccessLogEntry.objects.filter(section="leads-export").count() - logged >= 1_000


def _xlsx_rows(client, url: str) -> tuple[int, int]:
    """Queries of the request and of reading its body, and the worksheet's rows."""
    import io

    from openpyxl import load_workbook

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return len(captured), sum(1 for _row in sheet.iter_rows())


@pytest.mark.parametrize("kind", ["matches", "matches of one product", "leads"])
def test_xlsx_exports_queries_do_not_grow_with_rows(kind):
    """The XLSX files read the same rows (batches of the one cursor): 10 and 1,000 rows
    cost the same queries, for all the bank's matches, one product's, and the leads."""
    world = World()
    user = world.rm if kind == "leads" else world.manager
    client = client_for(user)
    if kind == "leads":
        grow = add_leads
        url = reverse("financing_lead_export", args=["xlsx"]) + "?tab=mine"
    else:
        grow = add_matches
        url = reverse("financing_bank_matches_export", args=["xlsx"])
        if kind == "matches of one product":
            url += f"?product={world.version.product_id}"
    grow(world, 10, start=0)
    client.get(url)  # warm the session
    few, rows = _xlsx_rows(client, url)
    assert rows >= 1 + 10
    grow(world, 990, start=10)
    many, rows = _xlsx_rows(client, url)
    assert rows >= 1 + 1_000
    assert many == few
