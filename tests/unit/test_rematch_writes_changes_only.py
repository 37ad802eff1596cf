"""A rematch writes only new and changed matches: an unchanged match keeps its row and its
``computed_at``; a match the run no longer finds is deleted, in a range's rematch, a
product's and one firm's; matches of versions no longer current go too."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ecosystem.financing.eligibility.matcher import rematch
from ecosystem.financing.models import Match, ProductVersion
from tests.factories import BankFactory, EnterpriseFactory, FinancialYearFactory
from tests.factories.financing import ProductVersionFactory
from tests.worlds.leads import make_version

pytestmark = pytest.mark.django_db


def _revenue_version(bank, **extra):
    """Limit: half the latest revenue (a version whose figures move with the firm's)."""
    return ProductVersionFactory(
        product__bank=bank,
        limit_basis=ProductVersion.LimitBasis.REVENUE_SHARE,
        limit_factor=Decimal("0.5000"),
        **extra,
    )


def _scope(how: str, firms, *, product=None) -> dict:
    """``rematch``'s arguments for the firms: their id range, their ids, every firm, or
    one product's matches."""
    ids = [f.pk for f in firms]
    return {
        "range": {"id_range": (min(ids), max(ids) + 1)},
        "firms": {"enterprise_ids": ids},
        "everything": {},
        "product": {"product_ids": [product]},
    }[how]


def _stamps():
    return dict(Match.objects.values_list("pk", "computed_at"))


def _age_every_match():
    """Move every stored match's stamp an hour back, so a rewrite shows."""
    for match in Match.objects.all():
        Match.objects.filter(pk=match.pk).update(computed_at=match.computed_at - timedelta(hours=1))


@pytest.fixture
def world():
    bank = BankFactory()
    firms = [EnterpriseFactory() for _ in range(4)]
    for firm in firms:
        FinancialYearFactory(enterprise=firm, revenue=Decimal("4000000.00"))
    fixed, by_revenue = make_version(bank), _revenue_version(bank)
    return firms, fixed, by_revenue


@pytest.mark.parametrize("how", ["range", "firms", "everything"])
def test_a_rematch_that_finds_the_same_figures_writes_nothing(world, how):
    firms, _fixed, _by_revenue = world
    scope = _scope(how, firms)
    assert rematch(**scope) == 8  # two versions × four firms, all new
    _age_every_match()
    before = _stamps()
    assert rematch(**scope) == 0
    assert _stamps() == before  # no row rewritten


@pytest.mark.parametrize("how", ["range", "firms"])
def test_only_the_changed_firm_s_matches_are_rewritten(world, how):
    firms, fixed, by_revenue = world
    scope = _scope(how, firms)
    rematch(**scope)
    _age_every_match()
    before = _stamps()
    firms[1].financial_years.update(revenue=Decimal("6000000.00"))
    started = timezone.now()
    assert rematch(**scope) == 1
    changed = Match.objects.get(enterprise=firms[1], product_version=by_revenue)
    assert changed.indicative_limit == Decimal("3000000.00")
    assert changed.computed_at >= started
    after = _stamps()
    assert {pk for pk in after if after[pk] != before[pk]} == {changed.pk}
    assert (
        Match.objects.get(enterprise=firms[1], product_version=fixed).computed_at
        == before[Match.objects.get(enterprise=firms[1], product_version=fixed).pk]
    )


@pytest.mark.parametrize("how", ["range", "firms", "product"])
def test_a_match_the_run_no_longer_finds_is_deleted(world, how):
    firms, fixed, by_revenue = world
    scope = _scope(how, firms, product=by_revenue.product_id)
    rematch()
    # Below the version's minimum amount: half of 100,000 yuan of revenue.
    firms[2].financial_years.update(revenue=Decimal("100000.00"))
    rematch(**scope)
    assert not Match.objects.filter(enterprise=firms[2], product_version=by_revenue).exists()
    assert Match.objects.filter(enterprise=firms[2], product_version=fixed).exists()
    assert Match.objects.filter(product_version=by_revenue).count() == 3
    assert Match.objects.count() == 7


def test_a_range_s_rematch_leaves_the_matches_outside_it(world):
    firms, _fixed, by_revenue = world
    rematch()
    for firm in firms:
        firm.financial_years.update(revenue=Decimal("100000.00"))
    first, second = sorted(f.pk for f in firms)[:2]
    rematch(id_range=(first, second + 1))
    kept = Match.objects.filter(product_version=by_revenue)
    assert sorted(kept.values_list("enterprise_id", flat=True)) == sorted(
        f.pk for f in firms if f.pk > second
    )


@pytest.mark.parametrize("how", ["range", "firms"])
def test_matches_of_a_superseded_version_go_and_the_new_version_s_are_written(world, how):
    firms, fixed, by_revenue = world
    scope = _scope(how, firms)
    rematch(**scope)
    newer = _revenue_version(fixed.product.bank, product=by_revenue.product)
    assert rematch(**scope) == 4
    assert not Match.objects.filter(product_version=by_revenue).exists()
    assert Match.objects.filter(product_version=newer).count() == 4
    assert Match.objects.filter(product_version=fixed).count() == 4
