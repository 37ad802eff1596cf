"""One firm's rematch serves its product versions from a per-process cache of compiled
criteria (``eligibility.firm``: keyed by version id, creation time and day; the versions'
keys read with SQL compiled once per process), and deletes the scope's stale matches with
a statement of its own (``firm_write.stale_delete``). A new version of a product, the
next day's age cut-offs and a rematch of one product of the firm each give what a cold
process would store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ecosystem.financing import match_totals
from ecosystem.financing import services as fs
from ecosystem.financing.eligibility.matcher import rematch
from ecosystem.financing.models import Match, Product
from tests.factories import EnterpriseFactory
from tests.worlds.financing import TERMS

pytestmark = pytest.mark.django_db

#: No criterion, a fixed limit: every firm matches.
OPEN = {
    **TERMS,
    "programs_any": [],
    "min_rd_intensity": None,
    "limit_basis": "fixed",
    "limit_factor": Decimal("2000000"),
    "uplift_per_qualification": Decimal(0),
}


@pytest.fixture
def manager(bank_manager):
    return bank_manager


def save(manager, code="fast", **changes):
    """A new version of product ``code`` (``product_save``; its own rematch is left
    after commit, which a test never reaches)."""
    return fs.product_save(
        bank=manager.bank_scope,
        actor=manager,
        code=code,
        name_zh="快贷",
        kind="fast_loan",
        **{**OPEN, **changes},
    )


def stored(enterprise) -> dict:
    return dict(
        Match.objects.filter(enterprise=enterprise).values_list(
            "product_version_id", "indicative_limit"
        )
    )


def test_a_new_version_of_a_product_replaces_the_cached_one(manager):
    enterprise = EnterpriseFactory()
    first = save(manager)
    fs.rematch_enterprise_now(enterprise_id=enterprise.pk)  # compiles and caches ``first``
    assert stored(enterprise) == {first.pk: Decimal("2000000.00")}

    second = save(manager, limit_factor=Decimal("3000000"))
    fs.rematch_enterprise_now(enterprise_id=enterprise.pk)
    assert stored(enterprise) == {second.pk: Decimal("3000000.00")}

    save(manager, limit_factor=Decimal("3000000"), min_revenue=Decimal(900_000_000))
    fs.rematch_enterprise_now(enterprise_id=enterprise.pk)  # no figures: no match left
    assert stored(enterprise) == {}
    assert match_totals.drift()["match_totals"]["differing"] == 0


def test_the_age_cut_offs_are_the_day_s_with_a_warm_cache(manager):
    """A firm founded on 2 March 2021 is five years old on 2 March 2026, not the day
    before; a version compiled on the day before must not be served the day after."""
    enterprise = EnterpriseFactory(founded_on=date(2021, 3, 2))
    older = save(manager, code="older", min_age_years=5)
    younger = save(manager, code="younger", max_age_years=4)
    rematch(enterprise_ids=[enterprise.pk], on=date(2026, 3, 1))
    assert set(stored(enterprise)) == {younger.pk}
    rematch(enterprise_ids=[enterprise.pk], on=date(2026, 3, 2))
    assert set(stored(enterprise)) == {older.pk}
    assert match_totals.drift()["match_totals"]["differing"] == 0


def test_a_firm_s_rematch_of_one_product_leaves_its_other_products_matches(manager):
    enterprise, other = EnterpriseFactory(), EnterpriseFactory()
    kept = save(manager, code="kept")
    withdrawn = save(manager, code="withdrawn")
    for firm in (enterprise, other):
        fs.rematch_enterprise_now(enterprise_id=firm.pk)
    assert set(stored(enterprise)) == {kept.pk, withdrawn.pk}
    Product.objects.filter(pk=withdrawn.product_id).update(is_active=False)

    rematch(enterprise_ids=[enterprise.pk], product_ids=[withdrawn.product_id])
    assert set(stored(enterprise)) == {kept.pk}  # the withdrawn product's match only
    assert set(stored(other)) == {kept.pk, withdrawn.pk}  # another firm's untouched
    assert match_totals.drift()["match_totals"]["differing"] == 0
