"""A relationship manager's firms are those whose matches they see: the records of the
consenting firms of the zones routed to their branches (``enterprises.routing``: the
branch serving the zone, else the head office) open for them, as well as those of every
zone their branch serves (issue #20). A head office's RM opens, on the page and in the
API, the firm of a zone no branch serves that their match list shows; without consent it
stays a 404, and for another bank's RM too."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.accounts.scope import scope_of
from ecosystem.enterprises import permissions as policy
from ecosystem.enterprises.api.access import visible_enterprises
from ecosystem.enterprises.branch_firms import BranchFirmList, branch_firm_list
from ecosystem.enterprises.selectors import enterprises_visible_to
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.financing.models import Match
from ecosystem.financing.selectors import matches_for_bank
from tests.factories import (
    BankFactory,
    BankStaffFactory,
    BranchFactory,
    ConsentFactory,
    EnterpriseFactory,
    ProductVersionFactory,
    QualificationClaimFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db


class World:
    """A bank with a head office serving no zone, branches ``a`` and ``a2`` both serving
    zone A (``a`` first by code takes its leads) and ``b`` serving zone B; zone C is served
    by none, so its leads go to the head office. Firms: ``a``, ``b`` and ``c`` consenting
    to the bank, ``c_silent`` in C without consent; each matched on the bank's product and
    holding a verified claim. Another bank, whose head office serves nothing either, has
    an RM of its own."""

    def __init__(self):
        zone = {key: ZoneFactory(code=f"zone-{key}") for key in "abc"}
        self.bank = BankFactory()
        head = BranchFactory(bank=self.bank, code="head", is_head_office=True)
        branch_a = BranchFactory(bank=self.bank, code="a", zones=[zone["a"]])
        branch_a2 = BranchFactory(bank=self.bank, code="a2", zones=[zone["a"]])
        branch_b = BranchFactory(bank=self.bank, code="b", zones=[zone["b"]])
        version = ProductVersionFactory(product__bank=self.bank)
        self.firm = {key: EnterpriseFactory(zone=zone[key]) for key in "abc"}
        self.firm["c_silent"] = EnterpriseFactory(zone=zone["c"])
        for key, firm in self.firm.items():
            if key != "c_silent":
                ConsentFactory(enterprise=firm, bank=self.bank)
            QualificationClaimFactory(enterprise=firm, status=ClaimStatus.VERIFIED)
            Match.objects.create(
                enterprise=firm,
                product=version.product,
                product_version=version,
                score=70,
                indicative_limit=Decimal("100000"),
                computed_at=timezone.now(),
            )
        self.rm = {
            key: BankStaffFactory(branch=branch)
            for key, branch in (("head", head), ("a", branch_a), ("a2", branch_a2), ("b", branch_b))
        }
        other_head = BranchFactory(bank=BankFactory(), code="head", is_head_office=True)
        self.rm["other_bank"] = BankStaffFactory(branch=other_head)


@pytest.fixture
def w() -> World:
    return World()


def opens(user, firm) -> dict[str, int]:
    """The statuses of the firm's record page, API detail and API claims for ``user``."""
    page = Client()
    page.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    return {
        "page": page.get(reverse("enterprise_detail", args=[firm.pk])).status_code,
        "api": api.get(f"/api/v1/enterprises/{firm.pk}/").status_code,
        "claims": api.get(f"/api/v1/enterprises/{firm.pk}/claims/").status_code,
    }


def listed(user) -> set[int]:
    """The firms of the user's API enterprise list and of their enterprises queryset."""
    api = APIClient()
    api.force_authenticate(user)
    rows = {row["id"] for row in api.get("/api/v1/enterprises/").json()["results"]}
    assert rows == set(enterprises_visible_to(user=user).values_list("pk", flat=True))
    return rows


def seen(w, user) -> set[str]:
    ids = set(enterprises_visible_to(user=user).values_list("pk", flat=True))
    return {key for key, firm in w.firm.items() if firm.pk in ids}


def test_a_head_office_rm_opens_the_unserved_zone_s_firm_their_match_list_shows(w):
    rm, firm = w.rm["head"], w.firm["c"]
    assert matches_for_bank(user=rm).filter(enterprise=firm).exists()
    assert opens(rm, firm) == {"page": 200, "api": 200, "claims": 200}
    assert listed(rm) == {firm.pk}


def test_without_consent_the_unserved_zone_s_firm_stays_a_404(w):
    rm, firm = w.rm["head"], w.firm["c_silent"]
    assert matches_for_bank(user=rm).filter(enterprise=firm).exists()  # listed, masked
    assert opens(rm, firm) == {"page": 404, "api": 404, "claims": 404}


def test_a_served_zone_s_firms_stay_with_every_branch_serving_it_and_not_the_head_office(w):
    assert seen(w, w.rm["a"]) == {"a"}
    assert seen(w, w.rm["a2"]) == {"a"}  # a second branch serving A: its leads go to ``a``
    assert seen(w, w.rm["b"]) == {"b"}
    assert seen(w, w.rm["head"]) == {"c"}  # A and B are routed to their branches
    assert opens(w.rm["a2"], w.firm["a"]) == {"page": 200, "api": 200, "claims": 200}
    assert opens(w.rm["a"], w.firm["c"])["page"] == 404


def test_an_rm_of_another_bank_never_sees_them(w):
    assert seen(w, w.rm["other_bank"]) == set()
    assert opens(w.rm["other_bank"], w.firm["c"]) == {"page": 404, "api": 404, "claims": 404}


def test_the_head_office_s_list_read_by_parts_is_the_rule_s(w):
    rows = branch_firm_list(user=w.rm["head"])
    assert isinstance(rows, BranchFirmList)
    expected = list(visible_enterprises(user=w.rm["head"]).values_list("pk", flat=True))
    assert rows.count() == 1 and [e.pk for e in rows[0:10]] == expected == [w.firm["c"].pk]


def test_a_branch_that_is_no_head_office_reads_no_routing(w):
    """Its routed zones are among those it serves: its rule is built without a query."""
    scope = scope_of(w.rm["a2"])
    with CaptureQueriesContext(connection) as captured:
        policy.bank_sees_q(scope)
        assert policy.rm_routed_zones(scope) == {}
    assert len(captured) == 0
    assert policy.rm_routed_zones(scope_of(w.rm["head"])) == {w.bank.pk: [w.firm["c"].zone_id]}
