"""An RM's enterprise list read by parts (``enterprises.branch_firms``) is the rule's
queryset (``enterprises_visible_to`` in ``visible_enterprises``'s order), page by page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecosystem.accounts.models import Membership, Role
from ecosystem.enterprises.api.access import visible_enterprises
from ecosystem.enterprises.branch_firms import BranchFirmList, branch_firm_list
from ecosystem.enterprises.models import Consent
from ecosystem.enterprises.search import name_or_code_q
from tests.factories.enterprises import ConsentFactory
from tests.factories.financing import LeadFactory, ProductVersionFactory
from tests.factories.people import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db


def _world():
    """One branch serving two zones, a third zone it does not serve; firms in and out of
    each part of the rule, names that tie, two purposes of consent, two leads of a firm."""
    served_a, served_b, elsewhere = ZoneFactory(), ZoneFactory(), ZoneFactory()
    version = ProductVersionFactory()
    bank = version.product.bank
    branch = BranchFactory(bank=bank, zones=[served_a, served_b])
    other_branch = BranchFactory(bank=bank, zones=[elsewhere])
    other_bank = ProductVersionFactory().product.bank
    rm = BankStaffFactory(branch=branch)

    def firm(zone, name, *, consent=True, **kwargs):
        enterprise = EnterpriseFactory(zone=zone, name=name, **kwargs)
        if consent:
            ConsentFactory(enterprise=enterprise, bank=bank)
        return enterprise

    seen = []
    # Served zones' firms with consent, names tying across zones and with the extras.
    for i in range(23):
        seen.append(firm(served_a if i % 2 else served_b, f"甲{i % 7}"))
    twice = firm(served_a, "乙")
    ConsentFactory(enterprise=twice, bank=bank, purpose=Consent.Purpose.PREAPPROVAL)
    seen.append(twice)
    # Hidden: no consent, a revoked one, consent to another bank only.
    firm(served_a, "甲0", consent=False)
    revoked = firm(served_b, "甲1", consent=False)
    ConsentFactory(enterprise=revoked, bank=bank, revoked=True)
    ConsentFactory(enterprise=firm(served_a, "甲2", consent=False), bank=other_bank)
    # Outside the served zones: seen with a lead in the branch and consent, twice over.
    for name in ("甲3", "丙"):
        extra = firm(elsewhere, name)
        for status in ("withdrawn", "new"):
            LeadFactory(enterprise=extra, product_version=version, branch=branch, status=status)
        seen.append(extra)
    LeadFactory(
        enterprise=firm(elsewhere, "丁", consent=False), product_version=version, branch=branch
    )
    lapsed = firm(elsewhere, "戊", consent=False)
    ConsentFactory(enterprise=lapsed, bank=bank, revoked=True)
    LeadFactory(enterprise=lapsed, product_version=version, branch=branch)
    firm(elsewhere, "己")  # consent, no lead in the branch
    LeadFactory(enterprise=firm(elsewhere, "庚"), product_version=version, branch=other_branch)
    # A firm of a served zone with a lead too: listed once.
    in_zone_lead = firm(served_b, "甲4")
    LeadFactory(enterprise=in_zone_lead, product_version=version, branch=branch)
    seen.append(in_zone_lead)
    return rm, seen


def _expected(user) -> list[int]:
    return list(visible_enterprises(user=user).values_list("pk", flat=True))


def test_every_page_and_the_count_are_the_rules():
    rm, seen = _world()
    expected = _expected(rm)
    assert sorted(expected) == sorted(e.pk for e in seen)  # the world is what it says
    rows = branch_firm_list(user=rm)
    assert isinstance(rows, BranchFirmList)
    assert rows.count() == len(expected) == 27
    for size in (1, 4, 7, 50):
        for start in range(0, len(expected) + size, size):
            page = rows[start : start + size]
            assert [e.pk for e in page] == expected[start : start + size], (size, start)


def test_the_count_stops_past_its_cap():
    rm, seen = _world()
    assert branch_firm_list(user=rm, cap=10).count() == 11 + 2  # 11 in zones, 2 beside


def test_a_branch_serving_no_zone_lists_its_leads_firms():
    rm, _ = _world()
    branch = Membership.objects.get(user=rm).branch
    branch.zones.clear()
    expected = _expected(rm)
    assert len(expected) == 3  # the two beside and the served zone's firm with a lead
    rows = branch_firm_list(user=rm)
    assert rows.count() == 3 and [e.pk for e in rows[0:50]] == expected


@pytest.mark.parametrize("role", ["manager", "member", "two_banks"])
def test_anyone_else_lists_the_queryset(role):
    rm, seen = _world()
    if role == "manager":
        user = BankManagerFactory()
    elif role == "member":
        user = rm
        Membership.objects.create(user=rm, role=Role.ENTERPRISE_MEMBER, enterprise=seen[0])
    else:
        user = rm
        Membership.objects.create(
            user=rm, role=Role.BANK_RM, bank=(branch := BranchFactory()).bank, branch=branch
        )
    assert branch_firm_list(user=user) is None


def test_the_api_lists_the_same_rows_in_few_queries(client):
    rm, _ = _world()
    expected = _expected(rm)
    client.force_login(rm)
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/v1/enterprises/").json()
    assert body["count"] == len(expected) and body["count_capped"] is False
    assert [row["id"] for row in body["results"]] == expected[:50]
    # Filtered, the queryset answers: the same rows of the zone asked for.
    zone = body["results"][0]["zone"]
    filtered = client.get("/api/v1/enterprises/", {"zone": zone}).json()
    in_zone = [row["id"] for row in body["results"] if row["zone"] == zone]
    assert [row["id"] for row in filtered["results"]] == in_zone
    assert len(captured) <= 12


@pytest.mark.parametrize("part", ["甲", "甲1", "乙", "丙", "无此企业", "__code__", "  甲3 "])
def test_a_search_reads_the_same_firms_by_parts(part):
    """Searched by a part of the name or code (one, two or more characters, none found),
    the parts hold the rule's queryset narrowed by ``name_or_code_q``, page by page."""
    rm, seen = _world()
    if part == "__code__":
        part = seen[5].uscc[4:12].lower()
    expected = list(
        visible_enterprises(user=rm)
        .filter(name_or_code_q(part.strip()))
        .values_list("pk", flat=True)
    )
    rows = branch_firm_list(user=rm, search=part.strip())
    assert rows.count() == len(expected)
    for size in (1, 3, 50):
        for start in range(0, len(expected) + size, size):
            page = rows[start : start + size]
            assert [e.pk for e in page] == expected[start : start + size], (part, size, start)
    if part in ("甲1", "乙"):
        assert expected  # the searches that must find something do


def test_the_api_search_is_read_by_parts(client):
    rm, _ = _world()
    client.force_login(rm)
    expected = list(
        visible_enterprises(user=rm).filter(name_or_code_q("甲1")).values_list("pk", flat=True)
    )
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/v1/enterprises/", {"q": " 甲1 "}).json()
    assert [row["id"] for row in body["results"]] == expected and body["count"] == len(expected)
    assert any("LATERAL" in q["sql"] for q in captured), "not read by parts"
    # with another filter too, the queryset answers, with the same rows of that zone
    zone = body["results"][0]["zone"]
    both = client.get("/api/v1/enterprises/", {"q": "甲1", "zone": zone}).json()
    assert [row["id"] for row in both["results"]] == [
        row["id"] for row in body["results"] if row["zone"] == zone
    ]
