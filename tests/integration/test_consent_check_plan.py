"""The consent check reads the consent rows of the page's leads and matches only, whatever
the size of the consent table (issue #19; docs/performance.md, "Consent check").

On PostgreSQL, with a bank's 400 leads and 4,000 active consents of other enterprises,
the plan of one inbox page (25 leads) and of one page of a bank's matches must read at
most one consent row per row of the page: ``EXISTS`` was turned into a hashed subplan
that read every active consent first.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from ecosystem.enterprises.models import Consent, Enterprise
from ecosystem.financing.models import Lead, Match
from ecosystem.financing.selectors.leads import bank_leads_of
from ecosystem.financing.selectors.matches import matches_for_bank
from tests.worlds.leads import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("require_postgres")]
LEADS = 400
CONSENTS = 4000
PAGE = 25


def fill(world: World) -> None:
    now = timezone.now()
    zone = world.enterprise.zone
    firms = Enterprise.objects.bulk_create(
        [Enterprise(uscc=f"91440300{i:09d}X", name=f"企业{i}", zone=zone) for i in range(CONSENTS)]
    )
    Consent.objects.bulk_create(
        [
            Consent(
                enterprise=e,
                bank=world.bank,
                purpose=Consent.Purpose.FINANCING,
                text_version="v1",
                granted_at=now,
            )
            for e in firms
        ]
    )
    Lead.objects.bulk_create(
        [
            Lead(
                enterprise=e,
                zone_id=e.zone_id,
                product=world.version.product,
                product_version=world.version,
                bank=world.bank,
                branch=world.branch,
                source=Lead.Source.APPLY,
                indicative_limit=Decimal(500_000),
                status=Lead.Status.ASSIGNED,
                assigned_to=world.rm,
                due_at=now + timedelta(hours=i),
            )
            for i, e in enumerate(firms[:LEADS])
        ]
    )
    Match.objects.bulk_create(
        [
            Match(
                enterprise=e,
                product=world.version.product,
                product_version=world.version,
                score=60,
                indicative_limit=Decimal(500_000),
                computed_at=now,
            )
            for e in firms[:LEADS]
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def consent_rows_read(queryset) -> int:
    """Rows the plan's nodes on the consent table return, over all their loops."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        raw = cursor.fetchone()[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    total, nodes = 0, [plan]
    while nodes:
        node = nodes.pop()
        if node.get("Relation Name") == Consent._meta.db_table:
            total += node["Actual Rows"] * node["Actual Loops"]
        nodes += node.get("Plans", [])
    return total


@pytest.mark.parametrize("role", ["rm", "manager"])
def test_an_inbox_page_reads_the_consents_of_its_leads_only(role):
    world = World()
    fill(world)
    page = bank_leads_of(user=getattr(world, role)).order_by("due_at", "-created_at", "-id")
    assert sum(lead.consented for lead in page[:PAGE]) == PAGE
    assert consent_rows_read(page[:PAGE]) <= PAGE


def test_a_page_of_a_banks_matches_reads_the_consents_of_its_matches_only():
    world = World()
    fill(world)
    page = matches_for_bank(user=world.manager)[:PAGE]
    assert sum(match.consented for match in page) == PAGE
    assert consent_rows_read(page) <= PAGE
