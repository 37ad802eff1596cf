"""The chain API (/api/v1/chains/…): chains and nodes for every signed-in user, coverage
and node lists for zones, banks and admins, leaders designated by the zone, supplier
links changed only by their two sides; every denied call changes nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from ecosystem.chains import services as cs
from ecosystem.chains.models import ChainLeader, EnterpriseNode, SupplierLink
from ecosystem.core.models import AuditEvent
from ecosystem.enterprises.models import Enterprise
from tests.worlds.chains import build_chain_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    w = build_chain_world(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        cs.placements_set(
            enterprise=w.supplier, nodes=[w.node("ic/design/processors")], actor=w.users["supplier"]
        )
    return w


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def snapshot():
    return (
        list(SupplierLink.objects.values_list("pk", "status")),
        list(ChainLeader.objects.values_list("pk", "ended_at")),
        sorted(EnterpriseNode.objects.values_list("enterprise_id", "node_id")),
        AuditEvent.objects.count(),
    )


def test_chains_and_nodes_are_reference_data_for_signed_in_users(world):
    assert api().get("/api/v1/chains/").status_code in (401, 403)
    response = api(world.users["supplier"]).get("/api/v1/chains/")
    assert response.status_code == 200
    codes = [c["code"] for c in response.json()["results"]]
    assert {"ic", "ai", "new-materials", "biomedicine"} <= set(codes)
    detail = api(world.users["supplier"]).get("/api/v1/chains/ic/").json()
    paths = {n["path"]: n for n in detail["nodes"]}
    assert paths["ic/design"]["segment"] == "midstream"
    assert paths["ic/materials-equipment/equipment"]["segment"] == "upstream"
    assert api(world.users["supplier"]).get("/api/v1/chains/nope/").status_code == 404
    nodes = api(world.users["rm"]).get("/api/v1/chains/nodes/?chain=ai").json()
    assert all(n["chain"] == "ai" for n in nodes["results"])


@pytest.mark.parametrize(
    ("role", "expected"),
    [("supplier", 404), ("bystander", 404), ("official", 200), ("rm", 200), ("admin", 200)],
)
def test_coverage_and_node_enterprises_permission_matrix(world, role, expected):
    user = world.users[role]
    node = world.node("ic/design")
    assert api(user).get("/api/v1/chains/ic/coverage/").status_code == expected
    response = api(user).get(f"/api/v1/chains/nodes/{node.pk}/enterprises/")
    assert response.status_code == expected
    if role == "official":
        assert [e["id"] for e in response.json()["enterprises"]] == [world.supplier.pk]
    if role == "rm":
        body = response.json()
        assert body["enterprises"] == [] and body["hidden"] == 1


def test_coverage_zone_filter_outside_scope_is_a_404(world):
    url = f"/api/v1/chains/ic/coverage/?zone={world.other_zone.pk}"
    assert api(world.users["official"]).get(url).status_code == 404
    assert api(world.users["admin"]).get(url).status_code == 200


def test_designation_permission_matrix(world):
    body = {"chain": "ai", "uscc": world.bystander.uscc}
    for role in ("supplier", "rm", "other_official"):
        before = snapshot()
        assert api(world.users[role]).post("/api/v1/chains/leaders/", body).status_code == 404
        assert snapshot() == before
    response = api(world.users["official"]).post("/api/v1/chains/leaders/", body, format="json")
    assert response.status_code == 201
    assert api(world.users["official"]).post("/api/v1/chains/leaders/", body).status_code == 409
    leader_pk = response.json()["id"]
    for role in ("supplier", "other_official", "rm"):
        before = snapshot()
        assert (
            api(world.users[role]).post(f"/api/v1/chains/leaders/{leader_pk}/end/").status_code
            == 404
        )
        assert snapshot() == before
    assert (
        api(world.users["official"]).post(f"/api/v1/chains/leaders/{leader_pk}/end/").status_code
        == 200
    )


def test_link_request_confirm_and_end_through_the_api(world, django_capture_on_commit_callbacks):
    body = {"leader": world.leader.pk, "supplier_uscc": world.supplier.uscc}
    # Someone of neither side cannot open a link in the supplier's name.
    before = snapshot()
    assert api(world.users["bystander"]).post("/api/v1/chains/links/", body).status_code == 404
    assert snapshot() == before
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.users["supplier"]).post("/api/v1/chains/links/", body, format="json")
    assert response.status_code == 201
    link = response.json()
    assert link["status"] == "requested"
    assert api(world.users["supplier"]).post("/api/v1/chains/links/", body).status_code == 409
    url = f"/api/v1/chains/links/{link['id']}/transition/"
    for role, expected in (
        ("bystander", 404),
        ("rm", 404),
        ("other_official", 404),
        ("official", 403),
        ("supplier", 409),  # a supplier cannot confirm its own request
    ):
        before = snapshot()
        status = api(world.users[role]).post(url, {"to": "confirmed"}).status_code
        assert status == expected, role
        assert snapshot() == before, role
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.users["leader"]).post(url, {"to": "confirmed"})
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    matches = api(world.users["supplier"]).get(
        f"/api/v1/financing/matches/?enterprise={world.supplier.pk}"
    )
    assert world.product_version.product_id in [m["product"] for m in matches.json()["results"]]
    assert api(world.users["supplier"]).post(url, {"to": "ended"}).status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        assert api(world.users["leader"]).post(url, {"to": "ended"}).status_code == 200
    matches = api(world.users["supplier"]).get(
        f"/api/v1/financing/matches/?enterprise={world.supplier.pk}"
    )
    assert world.product_version.product_id not in [m["product"] for m in matches.json()["results"]]
    visible = api(world.users["official"]).get("/api/v1/chains/links/").json()["results"]
    assert [v["id"] for v in visible] == [link["id"]]
    assert api(world.users["other_official"]).get("/api/v1/chains/links/").json()["results"] == []


def test_leader_invites_through_the_api(world):
    body = {"leader": world.leader.pk, "supplier_uscc": world.bystander.uscc, "note": "年度框架"}
    response = api(world.users["leader"]).post("/api/v1/chains/links/", body, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "invited"
    assert response.json()["supplier"]["id"] == world.bystander.pk


def test_enterprise_nodes_permission_matrix(world):
    url = f"/api/v1/chains/enterprises/{world.supplier.pk}/nodes/"
    body = {"nodes": ["ic/manufacturing"]}
    for role, expected in (("bystander", 404), ("other_official", 404), ("rm", 404)):
        before = snapshot()
        assert api(world.users[role]).put(url, body, format="json").status_code == expected
        assert snapshot() == before
    assert [n["path"] for n in api(world.users["official"]).get(url).json()] == [
        "ic/design/processors"
    ]
    response = api(world.users["supplier"]).put(url, {"nodes": ["ic/nope"]}, format="json")
    assert response.status_code == 400
    response = api(world.users["supplier"]).put(url, body, format="json")
    assert response.status_code == 200
    assert [n["path"] for n in response.json()] == ["ic/manufacturing"]


def test_node_enterprises_come_a_page_at_a_time(world):
    """A node of a national chain holds tens of thousands of firms: the API gives 50 a
    page in name order with the count and the next page, in the same number of queries
    for every page."""
    node = world.node("ic/design")
    official, zone = world.users["official"], world.supplier.zone
    many = Enterprise.objects.bulk_create(
        Enterprise(uscc=f"91310000P{i:08d}X"[:18], name=f"节点企业{i:03d}", zone=zone)
        for i in range(120)
    )
    EnterpriseNode.objects.bulk_create(EnterpriseNode(enterprise=e, node=node) for e in many)
    url = f"/api/v1/chains/nodes/{node.pk}/enterprises/"
    client = api(official)
    first = client.get(url).json()
    assert first["count"] == 121 and first["count_capped"] is False
    assert len(first["enterprises"]) == 50 and first["hidden"] == 0
    names = [e["name"] for e in first["enterprises"]]
    assert names == sorted(names)
    seen = [e["id"] for e in first["enterprises"]]
    page, queries = first, []
    while page["next"]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(page["next"]).json()
        queries.append(len(captured))
        seen += [e["id"] for e in page["enterprises"]]
    assert len(seen) == len(set(seen)) == 121
    assert len(set(queries)) == 1  # the last page as many queries as the second
