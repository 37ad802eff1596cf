"""seed_demo puts the demo enterprises on chains and shows a leader with confirmed
suppliers who match the supply-chain product; running it again changes nothing."""

import io

import pytest
from django.core.management import call_command

from ecosystem.chains.models import ChainLeader, EnterpriseNode, SupplierLink
from ecosystem.financing.models import Match

pytestmark = pytest.mark.django_db


def counts():
    return [
        EnterpriseNode.objects.count(),
        ChainLeader.objects.count(),
        SupplierLink.objects.count(),
        SupplierLink.objects.filter(status="confirmed").count(),
    ]


def test_demo_shows_a_leader_with_confirmed_suppliers_matched_to_chain_finance(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first

    leader = ChainLeader.objects.get(chain__code="ic", enterprise__name="北京智芯科技有限公司")
    confirmed = SupplierLink.objects.filter(leader=leader, status="confirmed")
    assert confirmed.count() == 3
    assert SupplierLink.objects.filter(leader=leader, status="requested").count() == 1
    for link in confirmed:
        assert Match.objects.filter(
            enterprise=link.supplier, product__code="chain-supplier"
        ).exists(), link.supplier
    waiting = SupplierLink.objects.get(leader=leader, status="requested")
    assert not Match.objects.filter(
        enterprise=waiting.supplier, product__code="chain-supplier"
    ).exists()
    # Every demo enterprise sits on at least one node.
    assert EnterpriseNode.objects.values("enterprise").distinct().count() >= 200
