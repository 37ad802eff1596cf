"""The national bench world's disbursements and chains (``bench.world``), added to a
world written in bulk as a version 2 world was (no disbursement, no enterprise on a
chain, summaries rebuilt): every disbursed lead gets one disbursement within its offer
and limit, after the acceptance; about 30 % of the enterprises sit on chain nodes, a
leader per zone and chain with suppliers of its zone and chain in mixed states; the
summary tables stay equal to a recount after the upgrade's targeted refresh; running it
again adds nothing. PostgreSQL only (the world's SQL)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from bench.world import sizes, upgradable
from bench.world.chains import chains_add
from bench.world.disbursements import disbursements_add, disbursements_missing
from bench.world.upgrade import summaries_refresh
from ecosystem.chains.models import ChainLeader, ChainNode, EnterpriseNode, SupplierLink
from ecosystem.enterprises.models import Enterprise
from ecosystem.financing.models import (
    ChainLeadSummary,
    Disbursement,
    EnterpriseFinancing,
    Lead,
    LeadSummary,
    Offer,
    ZoneFinancing,
)
from ecosystem.financing.summary_recount import (
    chain_tables_rebuild,
    summaries_drift,
    summaries_rebuild,
)
from tests.factories import BranchFactory, UserFactory, ZoneFactory
from tests.worlds.leads import make_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("require_postgres")]
S = Lead.Status
#: Per lead index: its status (disbursed most, for many disbursements).
STATUSES = (S.DISBURSED, S.DISBURSED, S.ACCEPTED, S.OFFER_MADE, S.NEW, S.DECLINED)
ENTERPRISES = 300
LEADS = 120


def old_world() -> None:
    """Enterprises in two zones, leads in assorted states with offers on those that
    reached one (a disbursed lead's accepted at its decision, as version 2 wrote them),
    no disbursement, the summaries rebuilt."""
    zones = [ZoneFactory(), ZoneFactory()]
    branch = BranchFactory(zones=zones)
    version = make_version(branch.bank)
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(uscc=f"91110000W{i:08d}X"[:18], name=f"世界企业{i}", zone=zones[i % 2])
        for i in range(ENTERPRISES)
    )
    now = timezone.now()
    leads = Lead.objects.bulk_create(
        Lead(
            enterprise=enterprise,
            zone_id=enterprise.zone_id,
            product=version.product,
            product_version=version,
            bank=branch.bank,
            branch=branch,
            status=STATUSES[i % len(STATUSES)],
            source=Lead.Source.APPLY,
            # Some limits below the offer: the disbursement stays under both.
            indicative_limit=Decimal(400_000 if i % 4 == 0 else 5_000_000),
            due_at=now - timedelta(days=30),
            first_contact_at=now - timedelta(days=30, hours=-4),
            decided_at=(
                now - timedelta(days=28)
                if STATUSES[i % len(STATUSES)] in (S.DISBURSED, S.DECLINED)
                else None
            ),
        )
        for i, enterprise in enumerate(enterprises[:LEADS])
    )
    Offer.objects.bulk_create(
        Offer(
            lead=lead,
            amount=Decimal(1_000_000),
            rate=Decimal("3.85"),
            term_months=12,
            valid_until=now,
            status="made" if lead.status == S.OFFER_MADE else "accepted",
            responded_at=lead.decided_at or now - timedelta(days=27),
        )
        for lead in leads
        if lead.status in (S.DISBURSED, S.ACCEPTED, S.OFFER_MADE)
    )
    Offer.objects.update(created_at=now - timedelta(days=29))
    summaries_rebuild()


def upgrade() -> dict:
    with connection.cursor() as cursor:
        written = {"disbursements": disbursements_add(cursor)}
        written |= chains_add(cursor, admin_id=UserFactory().pk)
    summaries_refresh()
    chain_tables_rebuild()
    return written


def test_every_disbursed_lead_gets_one_disbursement_within_its_offer_after_acceptance():
    old_world()
    upgrade()

    disbursed = Lead.objects.filter(status=S.DISBURSED)
    assert disbursed.count() == 40
    assert Disbursement.objects.count() == 40
    for d in Disbursement.objects.select_related("lead", "offer"):
        assert d.lead.status == S.DISBURSED and d.offer.lead_id == d.lead_id
        assert d.offer.status == "accepted"
        assert Decimal(0) < d.amount <= min(d.offer.amount, d.lead.indicative_limit)
        assert d.amount % 10_000 == 0
        assert d.offer.created_at < d.offer.responded_at < d.lead.decided_at
        assert d.disbursed_on >= timezone.localdate(d.offer.responded_at)
        assert d.disbursed_on <= timezone.localdate()
    assert len(set(Disbursement.objects.values_list("amount", flat=True))) > 3
    with connection.cursor() as cursor:
        assert disbursements_missing(cursor) == 0


def test_upgrade_keeps_the_summary_tables_equal_to_a_recount():
    old_world()
    upgrade()

    drift = summaries_drift()
    assert {name: part["differing"] for name, part in drift.items()} == dict.fromkeys(drift, 0)
    assert ChainLeadSummary.objects.exists()  # leads of enterprises on chains are counted
    money = Disbursement.objects.aggregate(s=Sum("amount"))["s"]
    assert money > 0
    assert LeadSummary.objects.aggregate(s=Sum("disbursed_amount"))["s"] == money
    assert EnterpriseFinancing.objects.aggregate(s=Sum("disbursed"))["s"] == 40
    assert ZoneFinancing.objects.aggregate(s=Sum("disbursed"))["s"] == 40


def test_a_third_of_enterprises_sit_on_chains_led_per_zone_and_chain():
    old_world()
    written = upgrade()

    on_chain = EnterpriseNode.objects.values("enterprise_id").distinct().count()
    assert 0.2 * ENTERPRISES < on_chain < 0.4 * ENTERPRISES
    leaves = ChainNode.objects.filter(children__isnull=True)
    assert not EnterpriseNode.objects.exclude(node__in=leaves).exists()
    assert written["enterprise_nodes"] > on_chain  # a tenth on a second node
    active = ChainLeader.objects.filter(ended_at__isnull=True).select_related("enterprise")
    pairs = [(leader.enterprise.zone_id, leader.chain_id) for leader in active]
    assert len(pairs) == len(set(pairs)) == 2 * ChainNode.objects.values("chain").distinct().count()
    assert ChainLeader.objects.filter(ended_at__isnull=False).exists()
    links = SupplierLink.objects.select_related("leader__enterprise", "supplier")
    assert {link.status for link in links} >= {"confirmed", "requested", "invited", "declined"}
    for link in links:
        assert link.supplier.zone_id == link.leader.enterprise.zone_id
        assert link.supplier_id != link.leader.enterprise_id
        assert EnterpriseNode.objects.filter(
            enterprise=link.supplier, node__chain_id=link.leader.chain_id
        ).exists()


def test_running_the_upgrade_again_adds_nothing():
    old_world()
    upgrade()
    counts = [M.objects.count() for M in (Disbursement, EnterpriseNode, ChainLeader, SupplierLink)]

    assert upgrade() == dict.fromkeys(
        ("disbursements", "enterprise_nodes", "chain_leaders", "supplier_links"), 0
    )
    assert counts == [
        M.objects.count() for M in (Disbursement, EnterpriseNode, ChainLeader, SupplierLink)
    ]
    drift = summaries_drift()
    assert not any(part["differing"] for part in drift.values())


def test_only_a_version_2_to_9_world_of_the_same_size_is_upgraded():
    size = sizes(0.01)
    old = {k: v for k, v in size.items() if k not in ("disbursements", "chain_share_percent")}
    assert upgradable({**old, "version": 2}, size)
    assert upgradable({**size, "version": 3}, size)
    assert upgradable({**size, "version": 4}, size)
    assert upgradable({**size, "version": 5}, size)
    assert upgradable({**size, "version": 6}, size)  # no claims waiting per zone and day
    assert upgradable({**size, "version": 7}, size)  # no verified firms per program, no totals
    assert upgradable({**size, "version": 8}, size)  # no years waiting per zone and day
    assert upgradable({**size, "version": 9}, size)  # no zone kept on the leads
    assert not upgradable({**size, "version": 10}, size)  # this version: reused as it is
    assert not upgradable({**old, "version": 1}, size)
    assert not upgradable({**old, "version": 2, "enterprises": 20_000}, size)
    assert not upgradable(None, size)
