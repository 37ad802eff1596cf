"""Query plans for the index tests (PostgreSQL): every node of a queryset's
``EXPLAIN (FORMAT JSON)``, and its scans as (node type, index or relation)."""

from __future__ import annotations

import json

from django.db import connection


def plan_nodes(queryset) -> list[dict]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (plan,) = cursor.fetchone()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    found, nodes = [], [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        found.append(node)
        nodes.extend(node.get("Plans", []))
    return found


def scans(queryset) -> set[tuple[str, str]]:
    """(node type, index or relation) of every scan in the plan."""
    return {
        (node["Node Type"], node.get("Index Name") or node.get("Relation Name"))
        for node in plan_nodes(queryset)
        if "Scan" in node["Node Type"]
    }


def assert_export_reads_only_its_table(client, export_url: str, page_url: str, *, reads, skips):
    """An export of one dashboard table reads that table's figures (``reads``, a table
    name in its SQL) and not the others' (``skips``, read by the page), in fewer queries
    than the page."""
    from django.test.utils import CaptureQueriesContext

    client.get(export_url)  # warm caches
    with CaptureQueriesContext(connection) as export:
        response = client.get(export_url)
    with CaptureQueriesContext(connection) as page:
        client.get(page_url)
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in export.captured_queries)
    assert reads in sql and skips not in sql
    assert skips in " ".join(q["sql"] for q in page.captured_queries)
    assert len(export.captured_queries) < len(page.captured_queries)
    return response
