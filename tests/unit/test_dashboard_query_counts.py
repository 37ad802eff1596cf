"""The bank, zone and platform dashboards (pages and APIs) and the chains' ecosystem page
and its exports make the same number of SQL queries for 10 leads (and enterprises) as for
1,000: their lead figures come from the summary tables (``financing.summary``; the
ecosystem page's from ``financing.ecosystem_summary``), a fixed set of grouped queries,
never one per lead or group of leads (issue #19: 8 s to minutes at national size)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.chains.models import ChainNode, EnterpriseNode
from ecosystem.enterprises.models import Enterprise
from ecosystem.financing.models import Lead
from ecosystem.financing.summary_recount import summaries_rebuild
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    PlatformAdminFactory,
    ZoneFactory,
    ZoneOfficialFactory,
    api_key_for,
)
from tests.worlds.leads import client_for, make_version

pytestmark = pytest.mark.django_db
S = Lead.Status
STATUSES = (S.NEW, S.ASSIGNED, S.CONTACTED, S.OFFER_MADE, S.DECLINED, S.WITHDRAWN)


def add_leads(branch, version, zone, count: int, *, start: int) -> None:
    """``count`` leads in assorted states with their clocks, written in bulk (then
    summarised by ``summaries_rebuild``, as ``bench.world`` does)."""
    now = timezone.now()
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(
                uscc=f"91110000Q{start + i:08d}X"[:18], name=f"计数企业{start + i}", zone=zone
            )
            for i in range(count)
        ]
    )
    leads = []
    for i, enterprise in enumerate(enterprises):
        status = STATUSES[i % len(STATUSES)]
        created = now - timedelta(days=i % 40, hours=i % 9)
        contacted = status not in (S.NEW, S.ASSIGNED)
        leads.append(
            Lead(
                enterprise=enterprise,
                zone_id=enterprise.zone_id,
                product=version.product,
                product_version=version,
                bank=branch.bank,
                branch=branch,
                status=status,
                source=Lead.Source.APPLY,
                indicative_limit=Decimal("1000000"),
                due_at=created + timedelta(hours=8 + i % 100),
                first_contact_due_at=created + timedelta(hours=8),
                decision_due_at=created + timedelta(days=3 + i % 20),
                first_contact_at=created + timedelta(hours=i % 30) if contacted else None,
                decided_at=created + timedelta(days=i % 5) if status == S.DECLINED else None,
            )
        )
    # A third on a chain node, some of them on a second node of another chain: the
    # chains' breakdowns have rows (read from the chain tables, not from the leads).
    nodes = list(ChainNode.objects.order_by("chain_id", "path"))
    chain_nodes = [nodes[0], next(n for n in nodes if n.chain_id != nodes[0].chain_id)]
    EnterpriseNode.objects.bulk_create(
        [
            EnterpriseNode(enterprise=enterprise, node=node)
            for i, enterprise in enumerate(enterprises)
            if i % 3 == 0
            for node in chain_nodes[: 1 + (i % 2)]
        ]
    )
    created_leads = Lead.objects.bulk_create(leads)
    Lead.objects.filter(pk__in=[lead.pk for lead in created_leads]).update(
        created_at=now - timedelta(days=2)
    )


def queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), "\n".join(q["sql"][:200] for q in captured.captured_queries)


#: At most this many queries (besides not growing): the zone dashboard reads each of its
#: tables' rows once (its histogram, its leads due ahead, its summary totals, the verified
#: enterprises per program kept per zone); 38 and 36 before.
MOST_QUERIES = {"zone_dashboard": 27, "api-zone-dashboard": 25}


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("financing_bank_dashboard", "manager"),
        ("api-financing-dashboard", "manager"),
        ("platform_dashboard", "admin"),
        ("api-platform-dashboard", "admin"),
        ("financing_bank_dashboard", "admin"),
        ("zone_dashboard", "official"),
        ("api-zone-dashboard", "official"),
        ("chains:ecosystem", "official"),
        ("chains:ecosystem", "admin"),
        # the ecosystem page's exports, one per table (name/table/format)
        ("chains:ecosystem_export/total/csv", "admin"),
        ("chains:ecosystem_export/zones/xlsx", "admin"),
        ("chains:ecosystem_export/stages/csv", "official"),
        ("chains:ecosystem_export/chains/csv", "admin"),
    ],
)
def test_dashboard_queries_do_not_grow_with_leads(name, role):
    zone = ZoneFactory()
    branch = BranchFactory(zones=[zone])
    version = make_version(branch.bank)
    users = {
        "manager": BankManagerFactory(bank=branch.bank),
        "admin": PlatformAdminFactory(),
        "official": ZoneOfficialFactory(zone=zone),
    }
    if name.startswith("api-"):
        client = APIClient()
        if role == "manager":
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(users[role])}")
        else:
            client.force_authenticate(users[role])  # admins and officials get no API tokens
    else:
        client = client_for(users[role])
    name, *args = name.split("/")
    url = reverse(name, args=args)
    if role == "official" and not name.startswith("chains:ecosystem"):
        url += f"?zone={zone.pk}"
    add_leads(branch, version, zone, 10, start=0)
    summaries_rebuild()
    queries(client, url)  # the first request fills the caches (calendar, session, labels)
    few, few_sql = queries(client, url)
    add_leads(branch, version, zone, 990, start=10)
    summaries_rebuild()
    many, sql = queries(client, url)
    assert many == few, f"{sql}\n\n---- with 10 leads ----\n{few_sql}"
    assert many <= MOST_QUERIES.get(name, many), sql


@pytest.mark.parametrize(
    ("name", "role", "rollup"),
    [
        ("platform_dashboard", "admin", True),
        ("api-platform-dashboard", "admin", True),
        ("financing_bank_dashboard", "admin", True),
        ("api-financing-dashboard", "admin", True),
        ("api-financing-dashboard", "manager", True),
        ("api-financing-dashboard", "rm", False),
    ],
)
def test_dashboards_read_durations_per_breakdown_for_every_lead_or_a_bank(name, role, rollup):
    """The medians of every lead (the admin) and of a manager's bank come from the
    histograms summed per breakdown (``LeadDurationRollup``), never from grouping the
    whole histograms; a relationship manager's branches from the histogram, narrowed."""
    zone = ZoneFactory()
    branch = BranchFactory(zones=[zone])
    version = make_version(branch.bank)
    users = {
        "manager": BankManagerFactory(bank=branch.bank),
        "admin": PlatformAdminFactory(),
        "rm": BankStaffFactory(branch=branch),
    }
    if name.startswith("api-"):
        client = APIClient()
        client.force_authenticate(users[role])
    else:
        client = client_for(users[role])
    add_leads(branch, version, zone, 60, start=0)
    summaries_rebuild()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name)).status_code == 200
    sql = "\n".join(q["sql"] for q in captured.captured_queries)
    whole = [
        q["sql"]
        for q in captured.captured_queries
        if '"financing_leadduration"' in q["sql"] or '"financing_chainleadduration"' in q["sql"]
    ]
    assert ("financing_leaddurationrollup" in sql) is rollup
    assert (not whole) is rollup, sql
