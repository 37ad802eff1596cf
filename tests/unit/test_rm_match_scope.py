"""A relationship manager sees the matches of the enterprises whose leads would route to
one of their branches (``enterprises.routing``: the bank's branch serving the firm's zone,
else its head office), not the whole bank's: on the matches page, in its export and in
the API, which agree with each other and with lead routing. A manager keeps the whole
bank, a member their enterprise's matches, and someone holding both roles in two banks
the union."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.financing import match_totals, selectors, services
from ecosystem.financing import permissions as policy
from ecosystem.financing.models import Match
from tests.factories import (
    BankFactory,
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    ConsentFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    PlatformAdminFactory,
    ProductVersionFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

PAGE = "/financing/bank/matches/"
EXPORT = "/financing/bank/matches/export/csv/"
API = "/api/v1/financing/matches/"


class World:
    """A bank with a head office (no zones), branch ``a`` serving zone A, branch ``b``
    serving zone B, both serving zone D (``a`` first by code: D's leads go to ``a``);
    zone C is served by none (its leads go to the head office). A firm in each zone,
    each matched on the bank's product ``talent`` and consenting to the bank; the firm of
    A also on ``fast``. Another bank whose one branch serves zone A only (no head office)
    has matches of the firms of A and B."""

    def __init__(self):
        zone = {key: ZoneFactory(code=f"zone-{key}") for key in "abcd"}
        self.bank, self.other_bank = BankFactory(), BankFactory()
        self.head_office = BranchFactory(bank=self.bank, code="head", is_head_office=True)
        self.branch_a = BranchFactory(bank=self.bank, code="a", zones=[zone["a"], zone["d"]])
        self.branch_b = BranchFactory(bank=self.bank, code="b", zones=[zone["b"], zone["d"]])
        other_branch = BranchFactory(bank=self.other_bank, code="a", zones=[zone["a"]])
        self.firm = {key: EnterpriseFactory(zone=zone[key]) for key in "abcd"}
        talent, fast, other = (
            ProductVersionFactory(product__bank=bank, product__code=code, product__name_zh=code)
            for bank, code in (
                (self.bank, "talent"),
                (self.bank, "fast"),
                (self.other_bank, "other"),
            )
        )
        self.fast = fast.product
        self.match = {key: _match(firm, talent) for key, firm in self.firm.items()}
        self.match["a-fast"] = _match(self.firm["a"], fast)
        self.match["a-other"] = _match(self.firm["a"], other)
        self.match["b-other"] = _match(self.firm["b"], other)
        for firm in self.firm.values():
            ConsentFactory(enterprise=firm, bank=self.bank)
            ConsentFactory(enterprise=firm, bank=self.other_bank)
        match_totals.rebuild()  # written past the rematch: the page's count and total
        self.rm_a = BankStaffFactory(branch=self.branch_a)
        self.rm_b = BankStaffFactory(branch=self.branch_b)
        self.rm_head = BankStaffFactory(branch=self.head_office)
        self.manager = BankManagerFactory(bank=self.bank)
        self.admin = PlatformAdminFactory()
        self.member_b = EnterpriseMemberFactory(enterprise=self.firm["b"])
        # the other bank's RM in zone A who also manages the first bank
        self.both = BankStaffFactory(branch=other_branch)
        Membership.objects.create(user=self.both, role=Role.BANK_MANAGER, bank=self.bank)

    def ids(self, *keys) -> set[int]:
        return {self.match[key].pk for key in keys}


def _match(firm, version) -> Match:
    return Match.objects.create(
        enterprise=firm,
        product=version.product,
        product_version=version,
        score=70,
        indicative_limit=Decimal(100_000 * (firm.pk % 7 + 1)),
        computed_at=timezone.now(),
    )


@pytest.fixture
def world() -> World:
    return World()


def page_ids(user, query: str = "") -> set[int]:
    client = Client()
    client.force_login(user)
    response = client.get(PAGE + query)
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'data-match="(\d+)"', response.content.decode())}


def export_ids(user, query: str = "") -> set[int]:
    """The export's rows as match ids, by product name and credit code (every firm
    consented: the code is written)."""
    client = Client()
    client.force_login(user)
    response = client.get(EXPORT + query)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    by_cells = {(m.product.name, m.enterprise.uscc): m.pk for m in Match.objects.all()}
    return {by_cells[(row[0], row[9])] for row in rows[1:]}


def api_ids(user, query: str = "") -> set[int]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(API + query)
    assert response.status_code == 200
    return {row["id"] for row in response.data["results"]}


def everywhere(user, query: str = "") -> set[int]:
    """The ids the page, the export and the API show the user, once they agree."""
    page, export, api = page_ids(user, query), export_ids(user, query), api_ids(user, query)
    assert page == export == api, (page, export, api)
    return page


def test_branch_rm_sees_its_zones_firms_not_those_another_branch_serves(world):
    assert everywhere(world.rm_a) == world.ids("a", "a-fast", "d")
    assert everywhere(world.rm_b) == world.ids("b")  # D's leads go to branch a, first by code


def test_head_office_rm_sees_firms_of_zones_no_branch_serves(world):
    assert everywhere(world.rm_head) == world.ids("c")


def test_manager_and_admin_still_see_the_whole_bank(world):
    bank = world.ids("a", "a-fast", "b", "c", "d")
    assert everywhere(world.manager) == bank
    assert everywhere(world.admin) == set(Match.objects.values_list("pk", flat=True))


def test_rm_of_one_bank_and_manager_of_another_sees_the_union(world):
    """The other bank's branch serves zone A: of that bank, only the firm of A's match."""
    assert everywhere(world.both) == world.ids("a", "a-fast", "b", "c", "d", "a-other")


def test_member_sees_their_enterprises_matches_in_the_api(world):
    assert api_ids(world.member_b) == world.ids("b", "b-other")


def test_product_filter_keeps_the_rms_scope(world):
    query = f"?product={world.fast.pk}"
    assert everywhere(world.rm_a, query) == world.ids("a-fast")
    assert everywhere(world.rm_b, query) == set()


def test_page_count_and_exposure_are_the_rms_matches(world):
    client = Client()
    client.force_login(world.rm_a)
    response = client.get(PAGE)
    shown = world.ids("a", "a-fast", "d")
    assert response.context["page"].paginator.count == len(shown)
    total = sum(m.indicative_limit for m in Match.objects.filter(pk__in=shown))
    assert response.context["total"] == f"{total:,.2f}"


def test_a_match_the_rm_may_not_see_is_a_404(world):
    client = APIClient()
    client.force_authenticate(world.rm_a)
    assert client.get(f"{API}{world.match['a'].pk}/").status_code == 200
    for key in ("b", "c", "a-other"):
        assert client.get(f"{API}{world.match[key].pk}/").status_code == 404, key
        assert not policy.can_view_match(world.rm_a, world.match[key]), key
    assert policy.can_view_match(world.rm_a, world.match["d"])


def test_visibility_follows_lead_routing(world):
    """For every match of the bank, the RMs who see it are exactly those of the branch its
    lead would be routed to."""
    rms = {world.branch_a: world.rm_a, world.branch_b: world.rm_b, world.head_office: world.rm_head}
    for key in "abcd":
        match = world.match[key]
        routed = services.route_branch(bank=world.bank, enterprise=match.enterprise)
        seeing = {
            branch
            for branch, rm in rms.items()
            if selectors.matches_visible_to(user=rm).filter(pk=match.pk).exists()
        }
        assert seeing == {routed}, key
