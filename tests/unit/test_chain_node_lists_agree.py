"""The enterprises of a chain node, as the API (/api/v1/chains/nodes/<pk>/enterprises/) and
the node page (/chains/<code>/nodes/<pk>/) list and count them, are what the lists were
defined as before they were counted from the placements: the enterprises of the chosen
zones placed on the node or under it (``Enterprise`` rows ``pk IN`` the subtree's
placements), those of them the user may see (``enterprises_visible_to``), a firm on two
nodes of the subtree once, and the others' number as "hidden". Here the reference is
computed firm by firm in Python, over a world with removed placements, firms on two nodes,
nodes with descendants, three zones, consents given and revoked, a branch's lead outside
its zones, and every role that sees a node (with and without ``?zone=``), with the count
capped and not."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ecosystem.chains import services as cs
from ecosystem.chains.api import views as api_views
from ecosystem.chains.models import ChainNode, EnterpriseNode
from ecosystem.core.api import pagination
from ecosystem.enterprises.models import Enterprise
from ecosystem.enterprises.selectors import enterprises_visible_to
from ecosystem.financing.coverage_summary import coverage_sync
from ecosystem.insights.views import chains as chain_pages
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    ConsentFactory,
    EnterpriseFactory,
    LeadFactory,
    PlatformAdminFactory,
    ProductVersionFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db

NODES = ("ic/design", "ic/design/memory", "ic/manufacturing")
#: (firm's zone index, its node paths at first, its node paths after the correction)
PLACED = [
    (0, ["ic/design"], ["ic/design"]),
    (0, ["ic/design/memory", "ic/design/processors"], ["ic/design/memory", "ic/design/processors"]),
    (0, ["ic/design/memory"], []),  # removed: no longer on the chain
    (0, ["ic/design/processors"], ["ic/manufacturing"]),  # moved off the subtree
    (0, ["ic/manufacturing"], ["ic/manufacturing", "ic/design/memory"]),
    (1, ["ic/design/analog-rf"], ["ic/design/analog-rf"]),
    (1, ["ic/design"], ["ic/design", "ic/design/memory"]),
    (1, ["ic/design/memory"], ["ic/design/memory"]),
    (2, ["ic/design"], ["ic/design"]),
    (2, ["ic/design/memory"], ["ic/design/memory"]),
    (2, ["ic/packaging-testing"], ["ic/packaging-testing"]),
    (0, [], []),
]


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    zones = [ZoneFactory(code=f"agree-{i}") for i in range(3)]
    manager = BankManagerFactory()
    bank = manager.memberships.get().bank
    branch = BranchFactory(bank=bank, zones=zones[:2])
    elsewhere_branch = BranchFactory(bank=bank, zones=zones[2:])
    users = {
        "admin": PlatformAdminFactory(),
        "official": ZoneOfficialFactory(zone=zones[0]),
        "other_official": ZoneOfficialFactory(zone=zones[2]),
        "manager": manager,
        "rm": BankStaffFactory(branch=branch),
        "elsewhere_rm": BankStaffFactory(branch=elsewhere_branch),
        "other_bank": BankManagerFactory(),
    }
    firms = []
    for i, (zone, first, _later) in enumerate(PLACED):
        # names out of creation order, two alike: the lists' order is (name, pk)
        firm = EnterpriseFactory(zone=zones[zone], name=f"节点企业{(i * 7) % 5:02d}")
        firms.append(firm)
        with django_capture_on_commit_callbacks(execute=True):
            cs.placements_set(
                enterprise=firm,
                nodes=[ChainNode.objects.get(path=p) for p in first],
                actor=users["admin"],
            )
    for firm, (_zone, _first, later) in zip(firms, PLACED, strict=True):
        with django_capture_on_commit_callbacks(execute=True):
            cs.placements_set(
                enterprise=firm,
                nodes=[ChainNode.objects.get(path=p) for p in later],
                actor=users["admin"],
            )
    for i in (0, 1, 2, 3, 5, 6, 8, 9):
        ConsentFactory(enterprise=firms[i], bank=bank, revoked=i in (1, 9))
    ConsentFactory(enterprise=firms[7], bank=users["other_bank"].memberships.get().bank)
    # a firm of the third zone with a lead at the first branch: that branch's firm too
    version = ProductVersionFactory(product__bank=bank)
    LeadFactory(enterprise=firms[8], product_version=version, branch=branch)
    coverage_sync(enterprise_ids=[f.pk for f in firms])
    return zones, users


def expected(user, node: ChainNode, zone_ids) -> tuple[list[int], int]:
    """The visible firms of the node in (name, pk) order, and how many are hidden."""
    on_node = {
        p.enterprise_id
        for p in EnterpriseNode.objects.select_related("node", "enterprise")
        if (p.node.path == node.path or p.node.path.startswith(node.path + "/"))
        and p.enterprise.zone_id in zone_ids
    }
    visible = on_node & set(enterprises_visible_to(user=user).values_list("pk", flat=True))
    firms = Enterprise.objects.filter(pk__in=visible).order_by("name", "pk")
    return list(firms.values_list("pk", flat=True)), len(on_node) - len(visible)


def _scopes(zones, users):
    for role in users:
        if role == "other_bank":
            continue  # sees every zone its (branchless) bank serves: none, a 404
        for zone in (None, *zones):
            yield role, zone


def _api_walk(user, url):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(url)
    if response.status_code == 404:
        return None
    first = body = response.json()
    ids = [e["id"] for e in body["enterprises"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        ids += [e["id"] for e in body["enterprises"]]
    return first, ids


def _zone_ids(user, zone, zones):
    from ecosystem.chains.selectors import coverage_zones

    seen = set(coverage_zones(user=user).values_list("pk", flat=True))
    if zone is not None:
        return {zone.pk} & seen
    return seen


@pytest.mark.parametrize("cap", [3, 10_000])
def test_the_api_lists_and_counts_what_the_old_definition_did(world, monkeypatch, cap):
    zones, users = world
    monkeypatch.setattr(pagination.CappedCountPaginator, "cap", cap)
    monkeypatch.setattr(api_views, "NODE_PAGE_SIZE", 2)
    checked = 0
    for path in NODES:
        node = ChainNode.objects.get(path=path)
        for role, zone in _scopes(zones, users):
            user = users[role]
            url = f"/api/v1/chains/nodes/{node.pk}/enterprises/"
            walked = _api_walk(user, url + (f"?zone={zone.pk}" if zone else ""))
            zone_ids = _zone_ids(user, zone, zones)
            if not zone_ids:
                assert walked is None, (role, zone)
                continue
            first, ids = walked
            listed, hidden = expected(user, node, zone_ids)
            where = (path, role, zone and zone.code)
            assert ids == listed, where
            assert first["count"] == min(len(listed), cap), where
            assert first["count_capped"] is (len(listed) > cap), where
            assert first["hidden"] == (None if len(listed) > cap else hidden), where
            checked += bool(listed) + bool(hidden)
    assert checked > 20  # the world is not empty where it matters


def test_the_node_page_lists_and_counts_what_the_old_definition_did(world, monkeypatch):
    zones, users = world
    monkeypatch.setattr(chain_pages, "NODE_PAGE_SIZE", 2)
    monkeypatch.setattr(chain_pages, "NODE_COUNT_CAP", 4)
    for path in NODES:
        node = ChainNode.objects.get(path=path)
        for role, zone in _scopes(zones, users):
            user = users[role]
            client = Client()
            client.force_login(user)
            url = f"/chains/ic/nodes/{node.pk}/" + (f"?zone={zone.pk}" if zone else "")
            response = client.get(url)
            zone_ids = _zone_ids(user, zone, zones)
            if not zone_ids:
                assert response.status_code == 404, (role, zone)
                continue
            listed, hidden = expected(user, node, zone_ids)
            where = (path, role, zone and zone.code)
            page, ids = response.context["page"], []
            while True:
                ids += [row["enterprise"].pk for row in response.context["rows"]]
                if not page.has_next():
                    break
                response = client.get(
                    url, {"page": page.next_page_number()} | ({"zone": zone.pk} if zone else {})
                )
                page = response.context["page"]
            paginator = page.paginator
            assert ids == listed[: len(ids)], where
            if paginator.capped:
                assert len(listed) > 4 and response.context["hidden"] == 0, where
            else:
                assert ids == listed and paginator.count == len(listed), where
                assert response.context["hidden"] == hidden, where
