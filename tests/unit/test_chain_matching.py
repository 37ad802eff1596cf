"""Supply-chain finance follows confirmed links only, and chain-node criteria follow the
enterprise's nodes; each change rematches the supplier after commit."""

import pytest

from ecosystem.chains import services as cs
from ecosystem.chains.models import SupplierLink
from ecosystem.financing import services as fs
from ecosystem.financing.models import Match, RematchMarker
from tests.worlds.chains import SUPPLY_TERMS, build_chain_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    return build_chain_world(django_capture_on_commit_callbacks)


def matched(enterprise, version) -> bool:
    return Match.objects.filter(enterprise=enterprise, product_version=version).exists()


def test_supplier_link_gives_no_chain_match_until_the_leader_confirms(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        link = cs.link_request(
            leader=world.leader, supplier=world.supplier, actor=world.users["supplier"]
        )
    fs.rematch_enterprise_now(enterprise_id=world.supplier.pk)
    assert not matched(world.supplier, world.product_version)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        cs.link_transition(link=link, to=SupplierLink.Status.CONFIRMED, actor=world.users["leader"])
    assert callbacks, "the confirmation enqueues work after commit"
    # The rematch ran after commit (eager Celery), without anyone calling the matcher.
    assert matched(world.supplier, world.product_version)
    assert not RematchMarker.objects.filter(enterprise_id=world.supplier.pk).exists()
    assert not matched(world.bystander, world.product_version)
    assert not matched(world.leader_enterprise, world.product_version)


def test_ending_the_link_removes_the_match_after_the_rematch(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        link = cs.link_invite(
            leader=world.leader, supplier=world.supplier, actor=world.users["leader"]
        )
        link = cs.link_transition(
            link=link, to=SupplierLink.Status.CONFIRMED, actor=world.users["supplier"]
        )
    assert matched(world.supplier, world.product_version)

    with django_capture_on_commit_callbacks(execute=False) as pending:
        cs.link_transition(link=link, to=SupplierLink.Status.ENDED, actor=world.users["leader"])
    # Before the after-commit work runs the match is still there, and a marker guards it.
    assert matched(world.supplier, world.product_version)
    assert RematchMarker.objects.filter(enterprise_id=world.supplier.pk).exists()
    for callback in pending:
        callback()
    assert not matched(world.supplier, world.product_version)


def test_ending_the_leadership_ends_its_links_and_the_match(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        link = cs.link_request(
            leader=world.leader, supplier=world.supplier, actor=world.users["supplier"]
        )
        cs.link_transition(link=link, to=SupplierLink.Status.CONFIRMED, actor=world.users["leader"])
    assert matched(world.supplier, world.product_version)
    with django_capture_on_commit_callbacks(execute=True):
        cs.leader_end(leader=world.leader, actor=world.users["official"])
    link.refresh_from_db()
    assert link.status == SupplierLink.Status.ENDED
    assert not matched(world.supplier, world.product_version)


def test_a_named_leader_narrows_the_supplier_criterion(world, django_capture_on_commit_callbacks):
    other_leader_enterprise = world.bystander
    with django_capture_on_commit_callbacks(execute=True):
        other = cs.leader_designate(
            chain=world.chain, enterprise=other_leader_enterprise, actor=world.users["official"]
        )
        version = fs.product_save(
            bank=world.bank,
            actor=world.users["manager"],
            code="supply",
            name_zh="链主供应链贷",
            kind="supply_chain",
            **{**SUPPLY_TERMS, "supplier_of_leaders": [world.leader_enterprise.uscc]},
        )
        link = cs.link_invite(leader=other, supplier=world.supplier, actor=world.users["bystander"])
        cs.link_transition(
            link=link, to=SupplierLink.Status.CONFIRMED, actor=world.users["supplier"]
        )
    assert not matched(world.supplier, version)
    with django_capture_on_commit_callbacks(execute=True):
        link = cs.link_invite(
            leader=world.leader, supplier=world.supplier, actor=world.users["leader"]
        )
        cs.link_transition(
            link=link, to=SupplierLink.Status.CONFIRMED, actor=world.users["supplier"]
        )
    assert matched(world.supplier, version)


def test_chain_node_criterion_covers_the_node_and_everything_under_it(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = fs.product_save(
            bank=world.bank,
            actor=world.users["manager"],
            code="design",
            name_zh="芯片设计贷",
            kind="unsecured",
            **{
                **SUPPLY_TERMS,
                "requires_confirmed_supplier": False,
                "chain_nodes": ["ic/design"],
            },
        )
        cs.placements_set(
            enterprise=world.supplier,
            nodes=[world.node("ic/design/processors")],
            actor=world.users["supplier"],
        )
        cs.placements_set(
            enterprise=world.bystander,
            nodes=[world.node("ic/manufacturing")],
            actor=world.users["bystander"],
        )
    assert matched(world.supplier, version)
    assert not matched(world.bystander, version)
    # The zone official corrects the supplier's node: the match goes with it.
    with django_capture_on_commit_callbacks(execute=True):
        cs.placements_set(
            enterprise=world.supplier,
            nodes=[world.node("ic/packaging-testing")],
            actor=world.users["official"],
        )
    assert not matched(world.supplier, version)
