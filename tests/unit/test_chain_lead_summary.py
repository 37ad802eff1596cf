"""The chains' lead figures on the dashboards come from the chain tables
(``ChainLeadSummary``, ``ChainLeadDuration``) and equal the lead-by-lead ones
(``insights.bank.conversion_by_chain``, ``insights.decision`` by chain), including an
enterprise on two nodes of one chain (its leads count once there) and on two chains (in
both), leads whose due times are still ahead, and placements changed after the leads."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecosystem.chains.models import ChainNode
from ecosystem.chains.services import placements_set
from ecosystem.financing import services
from ecosystem.financing.models import ChainLeadSummary, Lead
from ecosystem.financing.services.leads.create import lead_open_or_create
from ecosystem.financing.summary_recount import recount_all, stored_all
from ecosystem.insights import bank as by_leads
from ecosystem.insights import decision as decision_by_leads
from ecosystem.insights import summary as by_summary
from ecosystem.insights.ahead import leads_due_ahead
from ecosystem.insights.platform import platform_dashboard
from ecosystem.insights.summary import SummaryScope
from tests.factories import (
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProductVersionFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db


def _two_chains():
    chains = sorted({n.chain_id for n in ChainNode.objects.all()})[:2]
    return [list(ChainNode.objects.filter(chain_id=c).order_by("path")[:2]) for c in chains]


def _world():
    zone = ZoneFactory()
    branch = BranchFactory(zones=[zone])
    version = ProductVersionFactory(product__bank=branch.bank)
    rm = BankStaffFactory(branch=branch)
    (a1, a2), (b1, _b2) = _two_chains()
    placed = []
    for nodes in ([a1, a2], [a1, b1], [b1], []):
        enterprise = EnterpriseFactory(zone=zone)
        member = EnterpriseMemberFactory(enterprise=enterprise)
        placements_set(enterprise=enterprise, nodes=nodes, actor=member)
        lead, _ = lead_open_or_create(
            enterprise=enterprise,
            version=version,
            limit=Decimal("1000000"),
            source=Lead.Source.APPLY,
            actor=member,
        )
        placed.append((enterprise, member, lead))
    services.lead_claim(lead=placed[0][2], actor=rm)
    services.lead_transition(lead=placed[0][2], to=Lead.Status.CONTACTED, actor=rm)
    return placed, (a1, a2, b1)


def _same(now):
    leads = Lead.objects.all()
    # read_once: the leads due ahead read once with their placements, grouped in Python
    # (the platform's scope: the other breakdowns and totals read together)
    platform = SummaryScope(read_once=True, together=("zone", "bank", "product"))
    for scope in (SummaryScope(), SummaryScope(read_once=True), platform):
        assert by_summary.conversion_by(scope, dimension="chain") == by_leads.conversion_by(
            leads=leads, dimension="chain"
        )
        # a lead on two nodes or chains is one lead for the other breakdowns
        for dimension in ("chain", "zone", "bank", "product"):
            assert by_summary.decision_by(
                scope, dimension=dimension, now=now
            ) == decision_by_leads.decision_by(leads=leads, dimension=dimension, now=now)
        assert by_summary.decision_overall(scope, now=now) == decision_by_leads.decision_overall(
            leads=leads, now=now
        )
        assert by_summary.response_figures(scope, now=now) == by_leads.response_figures(
            leads=leads, now=now
        )


def test_an_enterprise_on_two_nodes_of_a_chain_counts_once_there_and_on_two_chains_in_both():
    placed, (a1, _a2, b1) = _world()
    rows = by_summary.conversion_by(SummaryScope(), dimension="chain")
    assert [(row["key"], row["leads"]) for row in rows] == [(a1.chain_id, 2), (b1.chain_id, 2)]
    # Due times ahead (now) and passed (in a week): the leads still ahead are counted
    # once per chain, however many of its nodes the enterprise sits on.
    now = timezone.now()
    for moment in (now, now + timedelta(days=7)):
        _same(moment)
    for scope in (SummaryScope(), SummaryScope(read_once=True)):
        ahead = leads_due_ahead(scope, now, by_summary.DIMENSIONS["chain"][1])
        assert ahead[a1.chain_id]["unanswered"] == 1  # the first enterprise's was answered
        assert ahead[a1.chain_id]["undecided"] == 2
    assert stored_all()[2:] == recount_all()[2:]


def test_placements_changed_after_the_leads_move_the_chain_figures():
    placed, (a1, a2, b1) = _world()
    enterprise, member, _lead = placed[3]  # on no chain yet
    placements_set(enterprise=enterprise, nodes=[a2], actor=member)
    enterprise, member, _lead = placed[1]  # leaves the first chain
    placements_set(enterprise=enterprise, nodes=[b1], actor=member)
    assert stored_all()[2:] == recount_all()[2:]
    leads_by_chain = {}
    for row in ChainLeadSummary.objects.all():
        leads_by_chain[row.chain_id] = leads_by_chain.get(row.chain_id, 0) + row.leads
    assert leads_by_chain == {a1.chain_id: 2, b1.chain_id: 2}
    _same(timezone.now())
    # The platform dashboard shows the chain rows read from the chain tables.
    figures = platform_dashboard()
    assert [row["leads"] for row in figures["chains"]] == [2, 2]
    assert [row["leads"] for row in figures["decision"]["chains"]] == [2, 2]


def test_a_scopes_breakdowns_read_the_leads_due_ahead_once():
    """Every breakdown of a (bank's) scope counts its leads due ahead from one query of
    the leads with their zone and chains (``ahead._ahead_rows``), not a query each."""
    placed, _nodes = _world()
    now = timezone.now()
    scope = SummaryScope(q=Q(bank_id=placed[0][2].bank_id))
    with CaptureQueriesContext(connection) as captured:
        for dimension in ("product", "branch", "zone", "chain"):
            by_summary.decision_by(scope, dimension=dimension, now=now)
    ahead = [q["sql"] for q in captured.captured_queries if "decision_due_at" in q["sql"]]
    assert len(ahead) == 1, ahead
    assert "zone_id" in ahead[0] and "chain_id" in ahead[0]
