"""Chain pages: who sees what (permission matrices where a refusal changes nothing), the
node list, placement by the enterprise and correction by its zone, leaders, links."""

import pytest
from django.test import Client
from django.urls import reverse

from ecosystem.chains import services as cs
from ecosystem.chains.models import ChainLeader, EnterpriseNode, SupplierLink
from ecosystem.core.models import AuditEvent, Notification
from ecosystem.enterprises.models import Consent
from ecosystem.enterprises.services import consent_grant
from tests.worlds.chains import build_chain_world
from tests.worlds.fresh import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _built(module_db):
    """The world, built once for the module; each test runs in a savepoint rolled back
    after it and reads its objects afresh (``tests.worlds.fresh``)."""
    w = build_chain_world(module_db.capture)
    with module_db.capture(execute=True):
        cs.placements_set(
            enterprise=w.supplier, nodes=[w.node("ic/design/processors")], actor=w.users["supplier"]
        )
        cs.placements_set(
            enterprise=w.elsewhere, nodes=[w.node("ic/design/memory")], actor=w.users["elsewhere"]
        )
    return w


@pytest.fixture
def world(_built):
    return fresh(_built)


def grant_consent(world):
    consent_grant(
        enterprise=world.supplier,
        actor=world.users["supplier"],
        bank=world.bank,
        purpose=Consent.Purpose.values[0],
    )


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def status_of(user, url, method="get", data=None) -> int:
    client = client_for(user)
    response = getattr(client, method)(url, data or {})
    return response.status_code


VIEWERS = {
    # role: expected status of the chain view
    None: 302,
    "supplier": 404,
    "bystander": 404,
    "official": 200,
    "other_official": 200,
    "rm": 200,
    "manager": 200,
    "admin": 200,
}


@pytest.mark.parametrize(("role", "expected"), VIEWERS.items())
def test_chain_pages_are_for_zones_banks_and_admins(world, role, expected):
    user = world.users.get(role) if role else None
    node = world.node("ic/design")
    for url in (
        reverse("chains:chain_list"),
        reverse("chains:chain_detail", args=["ic"]),
        reverse("chains:chain_export", args=["ic", "csv"]),
        reverse("chains:node_enterprises", args=["ic", node.pk]),
    ):
        assert status_of(user, url) == expected, url


@pytest.mark.parametrize(
    ("role", "expected"),
    {None: 302, "supplier": 404, "rm": 404, "manager": 404, "official": 200, "admin": 200}.items(),
)
def test_ecosystem_page_is_for_admins_and_zone_officials(world, role, expected):
    user = world.users.get(role) if role else None
    assert status_of(user, reverse("chains:ecosystem")) == expected
    assert status_of(user, reverse("chains:ecosystem_export", args=["zones", "xlsx"])) == expected


def test_a_zone_outside_the_officials_scope_is_a_404(world):
    url = reverse("chains:chain_detail", args=["ic"]) + f"?zone={world.other_zone.pk}"
    assert status_of(world.users["official"], url) == 404
    assert status_of(world.users["admin"], url) == 200
    assert status_of(world.users["official"], reverse("chains:chain_detail", args=["nope"])) == 404


def test_node_list_shows_the_officials_zone_only(world):
    node = world.node("ic/design")
    response = client_for(world.users["official"]).get(
        reverse("chains:node_enterprises", args=["ic", node.pk])
    )
    content = response.content.decode()
    assert world.supplier.name in content
    assert world.elsewhere.name not in content
    response = client_for(world.users["admin"]).get(
        reverse("chains:node_enterprises", args=["ic", node.pk])
    )
    assert world.elsewhere.name in response.content.decode()


def test_a_bank_sees_consented_enterprises_and_a_count_of_the_others(world):
    node = world.node("ic/design")
    url = reverse("chains:node_enterprises", args=["ic", node.pk])
    content = client_for(world.users["rm"]).get(url).content.decode()
    assert world.supplier.name not in content
    assert 'data-testid="hidden-count"' in content
    grant_consent(world)
    content = client_for(world.users["rm"]).get(url).content.decode()
    assert world.supplier.name in content


def test_chain_view_marks_nodes_with_enterprises_but_no_financing(world):
    content = (
        client_for(world.users["official"])
        .get(reverse("chains:chain_detail", args=["ic"]))
        .content.decode()
    )
    assert 'data-path="ic/design/processors" data-gap="yes"' in content
    assert 'data-path="ic/manufacturing" data-gap="no"' in content
    assert 'id="chain-data"' in content


@pytest.mark.parametrize(
    ("role", "expected"),
    {None: 302, "bystander": 404, "other_official": 404, "rm": 404, "supplier": 200}.items(),
)
def test_placement_permission_matrix(world, role, expected):
    user = world.users.get(role) if role else None
    url = reverse("chains:enterprise_nodes", args=[world.supplier.pk])
    before = set(EnterpriseNode.objects.values_list("enterprise_id", "node_id"))
    node = world.node("ic/manufacturing")
    assert status_of(user, url, "post", {"nodes": [node.pk]}) in (
        (302,) if expected == 200 else (expected,)
    )
    if expected != 200:
        assert set(EnterpriseNode.objects.values_list("enterprise_id", "node_id")) == before


def test_bank_with_consent_may_not_place(world):
    grant_consent(world)
    url = reverse("chains:enterprise_nodes", args=[world.supplier.pk])
    assert status_of(world.users["rm"], url, "post", {"nodes": []}) == 403
    assert EnterpriseNode.objects.filter(enterprise=world.supplier).count() == 1


def test_zone_official_corrects_nodes_and_the_enterprise_is_told(
    world, django_capture_on_commit_callbacks
):
    node = world.node("ic/packaging-testing")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["official"]).post(
            reverse("chains:enterprise_nodes", args=[world.supplier.pk]), {"nodes": [node.pk]}
        )
    assert response.status_code == 302
    assert list(
        EnterpriseNode.objects.filter(enterprise=world.supplier).values_list(
            "node__path", flat=True
        )
    ) == ["ic/packaging-testing"]
    event = AuditEvent.objects.get(verb="chain.placement_corrected")
    assert event.before == {"nodes": ["ic/design/processors"]}
    assert Notification.objects.filter(
        recipient=world.users["supplier"], kind="chain_placement"
    ).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    {None: 302, "supplier": 404, "rm": 404, "other_official": 200, "official": 302}.items(),
)
def test_designation_permission_matrix(world, role, expected):
    """Only officials of the enterprise's zone designate; another zone's official is told
    the code is not in their zones (400 with the form) and nothing changes."""
    user = world.users.get(role) if role else None
    before = ChainLeader.objects.count()
    status = status_of(
        user,
        reverse("chains:leader_list"),
        "post",
        {"chain": world.chain.pk, "uscc": world.bystander.uscc},
    )
    assert status == (400 if expected == 200 else expected)
    assert ChainLeader.objects.count() == before + (1 if role == "official" else 0)


def test_ending_a_designation_needs_its_zone(world):
    url = reverse("chains:leader_end", args=[world.leader.pk])
    for role in ("other_official", "supplier", "rm"):
        assert status_of(world.users[role], url, "post") == 404
    world.leader.refresh_from_db()
    assert world.leader.ended_at is None
    assert status_of(world.users["official"], url, "post") == 302
    world.leader.refresh_from_db()
    assert world.leader.ended_at is not None


def test_link_pages_and_moves_permission_matrix(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["supplier"]).post(
            reverse("chains:link_request", args=[world.supplier.pk]),
            {"leader": world.leader.pk, "note": "供货三年"},
        )
    assert response.status_code == 302
    link = SupplierLink.objects.get()
    assert link.status == "requested"
    assert Notification.objects.filter(recipient=world.users["leader"], kind="chain_link").exists()
    # Others may not ask in the supplier's name, nor see its links page.
    assert (
        status_of(
            world.users["bystander"],
            reverse("chains:link_request", args=[world.supplier.pk]),
            "post",
            {"leader": world.leader.pk},
        )
        == 404
    )
    assert (
        status_of(world.users["rm"], reverse("chains:enterprise_links", args=[world.supplier.pk]))
        == 404
    )
    move = reverse("chains:link_move", args=[link.pk])
    for role, expected in (
        (None, 302),
        ("bystander", 404),
        ("elsewhere", 404),
        ("rm", 404),
        ("official", 403),
    ):
        user = world.users.get(role) if role else None
        assert status_of(user, move, "post", {"to": "confirmed"}) == expected, role
    # The supplier cannot confirm its own request: refused, nothing changes.
    client_for(world.users["supplier"]).post(move, {"to": "confirmed"})
    link.refresh_from_db()
    assert link.status == "requested"
    assert not AuditEvent.objects.filter(verb="chain.link_confirmed").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.users["leader"]).post(move, {"to": "confirmed"})
    link.refresh_from_db()
    assert link.status == "confirmed"
    page = client_for(world.users["leader"]).get(
        reverse("chains:enterprise_links", args=[world.leader_enterprise.pk])
    )
    assert f'data-testid="move-ended-{link.pk}"' in page.content.decode()


def test_leader_invites_a_supplier_by_credit_code(world, django_capture_on_commit_callbacks):
    url = reverse("chains:link_invite", args=[world.leader_enterprise.pk])
    response = client_for(world.users["leader"]).post(
        url, {"leader": world.leader.pk, "supplier_uscc": "91110108MA00000000"}
    )
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["leader"]).post(
            url, {"leader": world.leader.pk, "supplier_uscc": world.bystander.uscc.lower()}
        )
    assert response.status_code == 302
    link = SupplierLink.objects.get()
    assert (link.supplier, link.status) == (world.bystander, "invited")
    assert Notification.objects.filter(recipient=world.users["bystander"]).exists()
    # A supplier cannot invite in the leader's name.
    assert (
        status_of(
            world.users["supplier"],
            url,
            "post",
            {"leader": world.leader.pk, "supplier_uscc": world.supplier.uscc},
        )
        == 404
    )


def test_node_list_is_paginated_and_counts_every_enterprise_of_the_zone(world):
    """A node's list shows ``NODE_PAGE_SIZE`` enterprises a page (sorted by name), flags
    read for those; the official sees the zone's count; none is hidden from them."""
    from ecosystem.financing.coverage_summary import coverage_sync
    from ecosystem.insights.views.chains import NODE_PAGE_SIZE
    from tests.factories import EnterpriseFactory

    node = world.node("ic/design/processors")
    firms = [
        EnterpriseFactory(zone=world.zone, name=f"分页企业{i:03d}")
        for i in range(NODE_PAGE_SIZE + 5)
    ]
    EnterpriseNode.objects.bulk_create(EnterpriseNode(enterprise=e, node=node) for e in firms)
    coverage_sync(enterprise_ids=[e.pk for e in firms])
    url = reverse("chains:node_enterprises", args=["ic", world.node("ic/design").pk])
    client = client_for(world.users["official"])
    first = client.get(url)
    rows = first.context["rows"]
    assert len(rows) == NODE_PAGE_SIZE
    assert first.context["page"].paginator.count == NODE_PAGE_SIZE + 6  # with the supplier
    assert first.context["hidden"] == 0
    second = client.get(url + "?page=2")
    names = [r["enterprise"].name for r in rows + second.context["rows"]]
    assert names == sorted(names) and len(names) == NODE_PAGE_SIZE + 6
    assert 'data-testid="hidden-count"' not in second.content.decode()
    rm = client_for(world.users["rm"]).get(url)  # no consent: every one hidden
    assert rm.context["rows"] == [] and rm.context["hidden"] == NODE_PAGE_SIZE + 6


def test_a_bank_s_node_list_counts_what_it_sees_up_to_a_cap(world, monkeypatch):
    """A bank sees the consenting enterprises a page at a time; past the cap the count
    says "more than" and no hidden count is guessed (it would need every one counted)."""
    from ecosystem.financing.coverage_summary import coverage_sync
    from ecosystem.insights.views import chains as views
    from tests.factories import ConsentFactory, EnterpriseFactory

    monkeypatch.setattr(views, "NODE_PAGE_SIZE", 2)
    monkeypatch.setattr(views, "NODE_COUNT_CAP", 3)  # ids read: max(3, 2 pages) + 1 = 5
    node = world.node("ic/design/processors")
    firms = [EnterpriseFactory(zone=world.zone, name=f"授权企业{i}") for i in range(6)]
    EnterpriseNode.objects.bulk_create(EnterpriseNode(enterprise=e, node=node) for e in firms)
    coverage_sync(enterprise_ids=[e.pk for e in firms])
    for firm in firms:
        ConsentFactory(enterprise=firm, bank=world.bank)
    url = reverse("chains:node_enterprises", args=["ic", node.pk])
    response = client_for(world.users["manager"]).get(url)
    paginator = response.context["page"].paginator
    assert [r["enterprise"].name for r in response.context["rows"]] == ["授权企业0", "授权企业1"]
    assert paginator.capped and paginator.capped_at == 4
    assert response.context["hidden"] == 0
    assert 'data-testid="visible-count"' in response.content.decode()
    Consent.objects.filter(enterprise__in=firms[2:]).delete()  # two left: counted exactly
    response = client_for(world.users["manager"]).get(url)
    assert not response.context["page"].paginator.capped
    assert response.context["page"].paginator.count == 2
    assert response.context["hidden"] == 5  # four firms and the supplier
