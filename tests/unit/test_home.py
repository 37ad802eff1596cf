"""Each role's home page shows real counts from the database."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    PlatformAdminFactory,
    RegistryOfficerFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db


def panel_figures(response, role) -> list[int]:
    html = response.content.decode()
    start = html.index(f'data-testid="panel-{role}"')
    end = html.find('data-testid="panel-', start + 10)
    chunk = html[start : end if end != -1 else None]
    return [int(v) for v in re.findall(r'<div class="figure-value">(\d+)</div>', chunk)]


def test_zone_official_sees_counts_of_their_zone_only(client):
    zone, other = ZoneFactory(), ZoneFactory()
    EnterpriseFactory.create_batch(3, zone=zone)
    EnterpriseFactory.create_batch(2, zone=other)
    client.force_login(ZoneOfficialFactory(zone=zone))
    assert panel_figures(client.get(reverse("home")), "zone_official") == [3, 1]
    EnterpriseFactory(zone=zone)
    assert panel_figures(client.get(reverse("home")), "zone_official") == [4, 1]


def test_relationship_manager_sees_the_zones_of_their_branch(client):
    zone, other = ZoneFactory(), ZoneFactory()
    EnterpriseFactory.create_batch(2, zone=zone)
    EnterpriseFactory(zone=other)
    client.force_login(BankStaffFactory(branch=BranchFactory(zones=[zone])))
    assert panel_figures(client.get(reverse("home")), "bank_rm") == [1, 2]


def test_bank_manager_sees_all_zones_served_by_the_bank(client):
    z1, z2, z3 = ZoneFactory(), ZoneFactory(), ZoneFactory()
    branch_a = BranchFactory(zones=[z1])
    BranchFactory(bank=branch_a.bank, zones=[z2])
    EnterpriseFactory(zone=z1)
    EnterpriseFactory(zone=z2)
    EnterpriseFactory(zone=z3)
    client.force_login(BankManagerFactory(bank=branch_a.bank))
    assert panel_figures(client.get(reverse("home")), "bank_manager") == [2, 2]


def test_enterprise_member_sees_their_enterprise(client):
    enterprise = EnterpriseFactory()
    member = EnterpriseMemberFactory(enterprise=enterprise)
    client.force_login(member)
    response = client.get(reverse("home"))
    assert enterprise.uscc in response.content.decode()
    assert panel_figures(response, "enterprise_owner") == [1]


def test_registry_officer_and_platform_admin_panels(client):
    EnterpriseFactory.create_batch(2)
    client.force_login(RegistryOfficerFactory())
    assert panel_figures(client.get(reverse("home")), "registry_officer") == [1, 2]
    client.force_login(PlatformAdminFactory())
    figures = panel_figures(client.get(reverse("home")), "platform_admin")
    assert figures[1] == 2  # enterprises


def test_anonymous_visitor_sees_the_landing_page(client):
    response = client.get(reverse("home"))
    assert reverse("account_signup").encode() in response.content
    assert b"panel-" not in response.content
