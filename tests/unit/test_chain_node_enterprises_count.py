"""The enterprises on or under a chain node, for some zones or for every zone: the list and
its count (``chains.selectors``) equal a count made firm by firm, and a firm on two nodes
of the subtree counts once."""

import pytest

from ecosystem.chains import selectors
from ecosystem.chains.models import ChainNode, EnterpriseNode
from ecosystem.zones.models import Zone
from tests.factories import EnterpriseFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def test_the_count_equals_the_firms_placed_under_the_node_in_the_zones():
    root = ChainNode.objects.get(path="ic/design")
    under = [ChainNode.objects.get(path=p) for p in ("ic/design/memory", "ic/design/processors")]
    elsewhere = ChainNode.objects.get(path="ic/manufacturing")
    near, far = ZoneFactory(), ZoneFactory()
    firms = [EnterpriseFactory(zone=zone) for zone in (near, near, far, far)]
    placements = [(firms[0], under[0]), (firms[0], under[1]), (firms[1], root)]
    placements += [(firms[2], under[1]), (firms[3], elsewhere)]
    for firm, node in placements:
        EnterpriseNode.objects.create(enterprise=firm, node=node)
    every = list(Zone.objects.values_list("pk", flat=True))
    for zones, expected in (([near.pk], firms[:2]), (every, firms[:3]), ([far.pk], firms[2:3])):
        reach = selectors.node_reach(node=root, zone_ids=zones)
        listed = selectors.enterprises_on_node(reach=reach)
        assert sorted(e.pk for e in listed) == sorted(f.pk for f in expected)
        counts = selectors.enterprises_on_node_counts(reach=reach)
        assert counts.on_node == counts.visible == len(expected)
    reach = selectors.node_reach(node=under[1], zone_ids=every)
    only = selectors.enterprises_on_node(reach=reach)
    assert sorted(e.pk for e in only) == sorted([firms[0].pk, firms[2].pk])
    assert selectors.enterprises_on_node_counts(reach=reach).on_node == 2
