"""The products' match totals (``financing.match_totals``) stay equal to a recount of the
matches (``Count`` and ``Sum`` of the indicative limits per product) through every path
that writes matches: one firm's rematch after its figures change (and the marker sweep),
a product's rematch after a new version or after it is switched off and on, a range's
rematch, many firms' rematch by the range's statements, the full rematch. A seeded random
walk drives the real services; after every step the rows equal a recount and the bank's
matches page (``bank_match_list``) shows the count and total exposure of its scope. A
write past the rematch is reported by the drift check and repaired by
``rebuild_summaries --match-totals``."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from ecosystem.financing import match_totals, selectors, services, tasks
from ecosystem.financing.eligibility import matcher
from ecosystem.financing.models import Match, Product, ProductMatchTotal
from ecosystem.financing.summary_recount import summaries_drift
from tests.factories import (
    BankManagerFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    FinancialYearFactory,
    PlatformAdminFactory,
    ProgramFactory,
    QualificationClaimFactory,
    ZoneFactory,
)
from tests.worlds.financing import TERMS

pytestmark = pytest.mark.django_db
FIRMS = 24
#: Each product's terms over ``TERMS`` (hte or tsme required, 5 % R&D intensity).
PRODUCTS = {
    "rd": {"limit_basis": "rd_multiple", "limit_factor": Decimal("2.0000")},
    "rev": {
        "limit_basis": "revenue_share",
        "limit_factor": Decimal("0.1500"),
        "min_rd_intensity": None,
    },
    "fix": {"limit_basis": "fixed", "limit_factor": Decimal("3000000.0000")},
    "capped": {
        "limit_basis": "revenue_share",
        "limit_factor": Decimal("0.3000"),
        "limit_cap": Decimal("4000000.00"),
        "min_rd_intensity": None,
        "programs_any": ["hte"],
    },
}


class Walk:
    """Two banks with two products each (saved through ``product_save``), ``FIRMS``
    enterprises with a verified year and a qualification, matched by the full rematch."""

    def __init__(self):
        zone = ZoneFactory()
        programs = [ProgramFactory(code="hte"), ProgramFactory(code="tsme")]
        self.managers = [BankManagerFactory(), BankManagerFactory()]
        self.terms: dict[int, dict] = {}
        self.products = []
        for i, (code, terms) in enumerate(PRODUCTS.items()):
            manager = self.managers[i % 2]
            version = services.product_save(
                bank=manager.memberships.first().bank,
                actor=manager,
                code=code,
                name_zh=f"产品{code}",
                kind="unsecured",
                **{**TERMS, **terms},
            )
            self.products.append(version.product)
            self.terms[version.product_id] = {**TERMS, **terms}
        self.firms, self.members = [], {}
        for i in range(FIRMS):
            firm = EnterpriseFactory(zone=zone, founded_on=date(2015, 3, 1))
            FinancialYearFactory(
                enterprise=firm,
                year=2025,
                revenue=Decimal(10_000_000 + 1_000_000 * i),
                rd_expense=Decimal(600_000 + 50_000 * (i % 7)),
                employees=120,
                verification_status="verified",
            )
            QualificationClaimFactory(
                enterprise=firm,
                program=programs[i % 2],
                certificate_number="GR1",
                year=2025,
                status="verified",
            )
            self.firms.append(firm)
            self.members[firm.pk] = EnterpriseMemberFactory(enterprise=firm)
        matcher.rematch()
        self.kinds = {"inserted": 0, "updated": 0, "deleted": 0}

    # ---- the steps --------------------------------------------------------------------

    def figures_changed(self, rng) -> None:
        """A firm saves new figures (its year goes back to declared) and is rematched, or
        its rematch waits for the marker sweep."""
        from ecosystem.enterprises.services import financial_year_save

        firm = rng.choice(self.firms)
        revenue = Decimal(rng.choice([0, 2_000_000, 15_000_000, 40_000_000, 90_000_000]))
        financial_year_save(
            enterprise=firm,
            actor=self.members[firm.pk],
            year=2025,
            revenue=revenue,
            total_costs=revenue + Decimal(1),
            rd_expense=(revenue * Decimal(rng.choice([2, 6, 12])) / 100).quantize(Decimal(1)),
        )
        if rng.random() < 0.7:
            services.rematch_enterprise_now(enterprise_id=firm.pk)

    def product_changed(self, rng) -> None:
        """A bank saves new terms for a product (a new version: its matches move to it),
        or switches it off or on; the product is rematched."""
        product = Product.objects.get(pk=rng.choice(self.products).pk)
        terms = dict(self.terms[product.pk])
        is_active = product.is_active
        if rng.random() < 0.3:
            is_active = not is_active
        else:
            factor = terms["limit_factor"] * rng.choice([Decimal(2), Decimal("0.5")])
            terms["limit_factor"] = factor.quantize(Decimal("0.0001"))
            terms["amount_min"] = Decimal(rng.choice([500_000, 2_000_000]))
        manager = next(m for m in self.managers if m.memberships.first().bank_id == product.bank_id)
        services.product_save(
            bank=product.bank,
            actor=manager,
            code=product.code,
            name_zh=product.name_zh,
            kind=product.kind,
            is_active=is_active,
            **terms,
        )
        self.terms[product.pk] = terms
        tasks.rematch_product(product.pk)

    def range_rematched(self, rng) -> None:
        low = rng.choice(self.firms).pk
        tasks.rematch_range(low, low + rng.randint(1, FIRMS))

    def many_rematched(self, rng, monkeypatch) -> None:
        """More firms than ``FEW`` (lowered here): the range's statements over their ids."""
        monkeypatch.setattr(matcher, "FEW", 3)
        matcher.rematch(enterprise_ids=[f.pk for f in rng.sample(self.firms, 8)])
        monkeypatch.undo()

    def swept(self, rng) -> None:
        services.markers_sweep(older_than_seconds=0)

    def everything(self, rng) -> None:
        matcher.rematch()

    # ---- what moved -------------------------------------------------------------------

    def note(self, before: dict, after: dict) -> None:
        self.kinds["inserted"] += len(after.keys() - before.keys())
        self.kinds["deleted"] += len(before.keys() - after.keys())
        self.kinds["updated"] += sum(
            1 for k in after.keys() & before.keys() if after[k] != before[k]
        )


def _matches() -> dict:
    return {
        (m.enterprise_id, m.product_version_id): (m.indicative_limit, m.figures_declared)
        for m in Match.objects.all()
    }


def assert_equal_to_a_recount(walk: Walk) -> None:
    counted = {
        pk: (n, total)
        for pk, n, total in Match.objects.order_by()
        .values_list("product_id")
        .annotate(n=Count("pk"), total=Sum("indicative_limit"))
    }
    assert match_totals.stored() == counted
    admin = PlatformAdminFactory()
    manager = walk.managers[0]
    product = walk.products[0]
    for user, one in ((admin, None), (manager, None), (manager, product)):
        listing = selectors.bank_match_list(user=user, product=one)
        matches = selectors.matches_for_bank(user=user, product=one)
        assert listing.count() == matches.count()
        assert listing.total_exposure == selectors.total_exposure(matches)


@pytest.mark.parametrize("seed", [5, 6])
def test_match_totals_equal_a_recount_after_random_rematches_through_every_path(monkeypatch, seed):
    rng = random.Random(seed)
    walk = Walk()
    assert Match.objects.count() > FIRMS  # the full rematch matched most firms twice or more
    assert_equal_to_a_recount(walk)
    steps = [
        walk.figures_changed,
        walk.figures_changed,
        walk.product_changed,
        walk.range_rematched,
        walk.swept,
        walk.everything,
    ]
    for _ in range(60):
        before = _matches()
        step = rng.choice([*steps, "many"])
        if step == "many":
            walk.many_rematched(rng, monkeypatch)
        else:
            step(rng)
        walk.note(before, _matches())
        assert_equal_to_a_recount(walk)
    # The walk inserted, updated and deleted matches, many of each.
    assert min(walk.kinds.values()) >= 10, walk.kinds
    assert summaries_drift()["match_totals"]["differing"] == 0


def test_a_write_past_the_rematch_is_drift_and_the_rebuild_repairs_it():
    walk = Walk()
    assert summaries_drift()["match_totals"] == {"differing": 0, "examples": []}
    product = walk.products[1]
    Match.objects.filter(product=product).order_by("pk").first().delete()  # past the rematch
    drift = summaries_drift()["match_totals"]
    assert drift["differing"] == 1 and drift["examples"] == [repr(product.pk)]
    with pytest.raises(CommandError):
        call_command("rebuild_summaries", "--check")
    call_command("rebuild_summaries", "--match-totals")
    assert summaries_drift()["match_totals"]["differing"] == 0
    assert_equal_to_a_recount(walk)


def test_a_product_deleted_takes_its_totals_along():
    walk = Walk()
    product = walk.products[2]
    assert ProductMatchTotal.objects.get(pk=product.pk).matches > 0
    Product.objects.filter(pk=product.pk).delete()  # its versions and matches by cascade
    assert not ProductMatchTotal.objects.filter(pk=product.pk).exists()
    assert match_totals.drift()["match_totals"]["differing"] == 0
