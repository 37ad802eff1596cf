"""Coverage figures (chain view, API, ecosystem funnel) equal counts computed here
independently, straight from the rows the test made."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from ecosystem.chains.models import ChainNode, EnterpriseNode
from ecosystem.enterprises.models import QualificationClaim
from ecosystem.financing.models import Disbursement, Lead, Match, Offer
from ecosystem.insights.chain_figures import chain_coverage
from ecosystem.insights.coverage import chain_coverage_recount, ecosystem_funnel
from ecosystem.zones.models import Zone
from tests.worlds.chain_coverage import build_coverage_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(django_capture_on_commit_callbacks):
    return build_coverage_world(django_capture_on_commit_callbacks)


def independent_node_figures(node_path, zones, bank=None):
    """Plain queries, no code shared with the coverage module."""
    placed = EnterpriseNode.objects.filter(enterprise__zone__in=zones).filter(
        node__path__in=[
            p
            for p in ChainNode.objects.values_list("path", flat=True)
            if p == node_path or p.startswith(node_path + "/")
        ]
    )
    ids = set(placed.values_list("enterprise_id", flat=True))
    leads = Lead.objects.filter(enterprise_id__in=ids)
    matches = Match.objects.filter(enterprise_id__in=ids)
    paid = Disbursement.objects.filter(lead__enterprise_id__in=ids)
    if bank is not None:
        leads, matches = leads.filter(bank=bank), matches.filter(product__bank=bank)
        paid = paid.filter(lead__bank=bank)
    return {
        "enterprises": len(ids),
        "verified": QualificationClaim.objects.filter(enterprise_id__in=ids, status="verified")
        .values("enterprise")
        .distinct()
        .count(),
        "matched": matches.values("enterprise").distinct().count(),
        "leads": leads.values("enterprise").distinct().count(),
        "financed": sum((d.amount for d in paid), Decimal(0)),
    }


def as_dict(row):
    return {k: getattr(row, k) for k in ("enterprises", "verified", "matched", "leads", "financed")}


@pytest.mark.parametrize("compute", [chain_coverage, chain_coverage_recount])
@pytest.mark.parametrize("bank_scoped", [False, True])
def test_chain_coverage_equals_independent_counts(setup, bank_scoped, compute):
    """The reference and the counters (every bank) or the grouped statement (a bank)."""
    w, _made = setup
    zones = Zone.objects.filter(pk__in=[w.zone.pk, w.other_zone.pk])
    bank = w.bank if bank_scoped else None
    nodes, total = compute(
        chain=w.chain, zones=zones, bank_ids=[w.bank.pk] if bank_scoped else None
    )
    assert len(nodes) == ChainNode.objects.filter(chain=w.chain).count()
    for row in nodes:
        assert as_dict(row) == independent_node_figures(row.node.path, zones, bank), row.node.path
    assert as_dict(total) == independent_node_figures("ic", zones, bank)
    design = next(r for r in nodes if r.node.path == "ic/design")
    # Hand-checked too: a1, a2, a3, a5 and b1 are on or under "design".
    expected_financed = Decimal(600_000) + Decimal(250_000)
    if not bank_scoped:
        expected_financed += Decimal(900_000)
    assert (design.enterprises, design.financed) == (5, expected_financed)
    manufacturing = next(r for r in nodes if r.node.path == "ic/manufacturing")
    assert manufacturing.gap and manufacturing.enterprises == 1


def test_official_and_bank_pages_show_their_scope(setup):
    w, _made = setup
    official = Client()
    official.force_login(w.users["official"])
    response = official.get(reverse("chains:chain_detail", args=["ic"]))
    own_zone = Zone.objects.filter(pk=w.zone.pk)
    expected = independent_node_figures("ic", own_zone)
    assert response.context["total"].enterprises == expected["enterprises"]
    assert response.context["total"].financed == expected["financed"]
    rm = Client()
    rm.force_login(w.users["rm"])
    response = rm.get(reverse("chains:chain_detail", args=["ic"]))
    # The branch serves zone A only; the bank sees its own money only.
    assert (
        response.context["total"].financed
        == independent_node_figures("ic", own_zone, w.bank)["financed"]
    )


def test_ecosystem_funnel_equals_independent_counts(setup):
    w, made = setup
    zones = Zone.objects.filter(pk__in=[w.zone.pk, w.other_zone.pk])
    funnel = ecosystem_funnel(zones=zones)
    by_zone = {row.key: row for row in funnel["zones"]}
    for zone in zones:
        ids = set(zone.enterprises.values_list("pk", flat=True))
        row = by_zone[zone.code]
        assert row.counts == {
            "registered": len(ids),
            "verified": QualificationClaim.objects.filter(enterprise_id__in=ids, status="verified")
            .values("enterprise")
            .distinct()
            .count(),
            "matched": Match.objects.filter(enterprise_id__in=ids)
            .values("enterprise")
            .distinct()
            .count(),
            "lead": Lead.objects.filter(enterprise_id__in=ids)
            .values("enterprise")
            .distinct()
            .count(),
            "offer": Offer.objects.filter(lead__enterprise_id__in=ids)
            .values("lead__enterprise")
            .distinct()
            .count(),
            "disbursed": Disbursement.objects.filter(lead__enterprise_id__in=ids)
            .values("lead__enterprise")
            .distinct()
            .count(),
        }
        assert row.financed == sum(
            (d.amount for d in Disbursement.objects.filter(lead__enterprise_id__in=ids)), Decimal(0)
        )
        assert row.offered == sum(
            (o.amount for o in Offer.objects.filter(lead__enterprise_id__in=ids)), Decimal(0)
        )
    by_chain = {row.key: row for row in funnel["chains"]}
    ai_ids = set(
        EnterpriseNode.objects.filter(node__chain__code="ai").values_list(
            "enterprise_id", flat=True
        )
    )
    assert by_chain["ai"].counts["registered"] == len(ai_ids) == 1
    assert by_chain["ai"].offered == Decimal(500_000)
    total = funnel["total"][0]
    assert total.counts["registered"] == sum(r.counts["registered"] for r in funnel["zones"])
    assert total.counts["registered"] == sum(r.counts["registered"] for r in funnel["stages"])
    assert total.financed == Decimal(600_000 + 900_000 + 250_000)


def test_ecosystem_page_for_an_official_counts_their_zone_only(setup):
    w, _made = setup
    client = Client()
    client.force_login(w.users["official"])
    response = client.get(reverse("chains:ecosystem"))
    total = response.context["tables"]["total"]["rows"][0]
    assert total[1] == w.zone.enterprises.count()
    export = client.get(reverse("chains:ecosystem_export", args=["zones", "csv"]))
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert w.zone.name in body and w.other_zone.name not in body
