"""The bank's matches page reads a page at a time (``selectors.bank_matches``): the same
matches in the same order as the whole scope sorted (``matches_for_bank``: product code,
limit highest first, id), across banks whose products share codes, with ties in the limit;
the count and total exposure of the whole scope; no page sorts the scope (issue #19: 2 s
for the platform admin's page over 1.5 million matches)."""

from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.enterprises.models import Enterprise
from ecosystem.financing import match_totals, selectors
from ecosystem.financing.models import Match
from ecosystem.financing.selectors import bank_matches
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    PlatformAdminFactory,
    ProductVersionFactory,
)
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Three banks with two products each, coded "a" and "b" at every bank (as the
    national world's), and 40 enterprises matched on random products with limits drawn
    from a few values (many ties)."""
    versions = []
    for _bank in range(3):
        first = ProductVersionFactory(product__code="b")
        versions.append(first)
        versions.append(ProductVersionFactory(product__code="a", product__bank=first.product.bank))
    firms = [EnterpriseFactory() for _ in range(40)]
    pick = random.Random(19)
    now = timezone.now()
    Match.objects.bulk_create(
        [
            Match(
                enterprise=e,
                product=v.product,
                product_version=v,
                score=60,
                indicative_limit=Decimal(pick.choice([100_000, 250_000, 500_000])),
                computed_at=now,
            )
            for e in firms
            for v in pick.sample(versions, 3)
        ]
    )
    match_totals.rebuild()  # written past the rematch
    return versions


def _whole(user, product=None) -> list[int]:
    return list(selectors.matches_for_bank(user=user, product=product).values_list("pk", flat=True))


def _paged(user, product=None, per_page=7) -> list[int]:
    listing = selectors.bank_match_list(user=user, product=product)
    paginator = Paginator(listing, per_page)
    return [m.pk for n in paginator.page_range for m in paginator.page(n).object_list]


def test_every_page_holds_the_matches_of_the_whole_sorted_scope(world):
    admin = PlatformAdminFactory()
    assert len(_whole(admin)) == 120
    assert _paged(admin) == _whole(admin)
    assert _paged(admin, per_page=50) == _whole(admin)


def test_a_bank_manager_pages_through_the_bank_and_one_product(world):
    bank = world[0].product.bank
    manager = BankManagerFactory(bank=bank)
    assert _paged(manager) == _whole(manager)
    assert {m.product.bank_id for m in Match.objects.filter(pk__in=_paged(manager))} == {bank.pk}
    product = world[1].product
    assert _paged(manager, product) == _whole(manager, product)


def test_count_and_total_exposure_are_the_whole_scope(world):
    admin = PlatformAdminFactory()
    listing = selectors.bank_match_list(user=admin)
    matches = selectors.matches_for_bank(user=admin)
    assert listing.count() == matches.count() == 120
    assert listing.total_exposure == selectors.total_exposure(matches)


def test_no_query_of_the_page_sorts_the_scope(world, require_postgres):
    """On PostgreSQL (SQLite has no LATERAL: ``make run`` reads the page by ORM order), the
    page's ids come from each product's first ``offset + page`` rows: the only
    ORDER BY over the matches is inside the per-product LATERAL with its LIMIT."""
    admin = PlatformAdminFactory()
    client = client_for(admin)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("financing_bank_matches") + "?page=2")
    assert response.status_code == 200
    on_matches = [q["sql"] for q in captured.captured_queries if "financing_match" in q["sql"]]
    ordered = [sql for sql in on_matches if re.search(r"ORDER BY", sql)]
    assert len(ordered) == 1, ordered
    assert "LATERAL" in ordered[0] and re.search(r"LIMIT %s|LIMIT \d+", ordered[0])
    whole = _whole(admin)
    shown = [m.match_id for m in response.context["rows"]]
    assert shown == whole[50:100]
    assert response.context["page"].paginator.count == 120


def test_the_count_and_total_exposure_sum_a_row_per_product_not_the_matches(world):
    """Nationally an aggregate over the scope's matches was 250 ms a view (1.5 million
    matches): the page sums the products' match totals (``match_totals``) instead."""
    admin = PlatformAdminFactory()
    with CaptureQueriesContext(connection) as captured:
        response = client_for(admin).get(reverse("financing_bank_matches"))
    assert response.status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    aggregates = [q for q in sql if re.search(r"\b(COUNT|SUM)\(", q)]
    assert all('financing_match"' not in q for q in aggregates), aggregates
    assert any("financing_productmatchtotal" in q for q in aggregates), sql
    assert response.context["page"].paginator.count == 120
    everything = selectors.matches_for_bank(user=admin)
    assert response.context["total"] == f"{selectors.total_exposure(everything):,.2f}"


def test_no_products_no_matches():
    listing = selectors.bank_match_list(user=PlatformAdminFactory())
    assert listing.count() == 0
    assert listing[0:50] == []


# ---- a relationship manager's part of a bank ---------------------------------------------


@pytest.fixture
def branches(world):
    """The first bank's branch ``a`` serves the zone of a third of the firms, ``b`` another
    third's; the rest's zone no branch serves: their leads go to the head office. The RM
    of ``a`` also manages the second bank (the union: a bank whole and a bank in part)."""
    bank = world[0].product.bank
    firms = list(Enterprise.objects.order_by("pk"))
    zones = [firm.zone for firm in firms[:2]]
    for i, firm in enumerate(firms):
        firm.zone = zones[i % 3] if i % 3 < 2 else firm.zone
    Enterprise.objects.bulk_update(firms, ["zone"])
    rm_a = BankStaffFactory(branch=BranchFactory(bank=bank, code="a", zones=[zones[0]]))
    rm_b = BankStaffFactory(branch=BranchFactory(bank=bank, code="b", zones=[zones[1]]))
    rm_head = BankStaffFactory(branch=BranchFactory(bank=bank, code="h", is_head_office=True))
    Membership.objects.create(user=rm_a, role=Role.BANK_MANAGER, bank=world[2].product.bank)
    return {"a": rm_a, "b": rm_b, "head": rm_head}


@pytest.mark.parametrize("probe_cost", [0, 10**9])  # every page probed / every page joined
@pytest.mark.parametrize("rm", ["a", "b", "head"])
def test_an_rm_pages_through_their_part_in_the_whole_scopes_order(
    world, branches, rm, probe_cost, monkeypatch
):
    """Both ways of reading an RM's page (each product's routed matches probed up to the
    page, or all of them joined at once and sorted) give the sorted scope's pages."""
    monkeypatch.setattr(bank_matches, "PROBE_COST", probe_cost)
    user = branches[rm]
    whole = _whole(user)
    assert 0 < len(whole) < Match.objects.count()
    for per_page in (1, 7, 50):
        assert _paged(user, per_page=per_page) == whole, per_page
    product = world[0].product
    assert _paged(user, product) == _whole(user, product)
    listing = selectors.bank_match_list(user=user)
    matches = selectors.matches_for_bank(user=user)
    assert listing.count() == matches.count() == len(whole)
    assert listing.total_exposure == selectors.total_exposure(matches)
