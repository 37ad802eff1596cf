"""The evaluator and the compiled query agree on random enterprises and products, and so
does one enterprise's rematch (its versions decided in Python, ``eligibility.firm``)."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase  # noqa: F401

from ecosystem.enterprises.models import (
    Enterprise,
    FinancialYear,
    QualificationClaim,
)
from ecosystem.financing.eligibility.evaluator import evaluate
from ecosystem.financing.eligibility.facts import facts_for
from ecosystem.financing.eligibility.matcher import eligible, rematch
from ecosystem.financing.models import Match, Product, ProductVersion
from tests.factories import BankFactory, ProgramFactory, ZoneFactory
from tests.worlds.matching import (
    BASE_ENTERPRISE,
    BASE_VERSION,
    ON,
    PROGRAMS,
    build_enterprise,
    enterprise_st,
    industry_divisions,
    version_st,
)


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(enterprises=st.lists(enterprise_st, min_size=1, max_size=6), version=version_st)
def test_evaluator_and_compiled_query_agree(enterprises, version):
    QualificationClaim.objects.all().delete()
    FinancialYear.objects.all().delete()
    Enterprise.objects.all().delete()
    zones = {code: ZoneFactory(code=code) for code in ("a", "b")}
    programs = {code: ProgramFactory(code=code) for code in PROGRAMS}
    product = Product.objects.create(bank=BankFactory(), code="p", kind="unsecured", name_zh="产品")
    v = ProductVersion.objects.create(
        product=product,
        number=1,
        amount_max=Decimal(20_000_000),
        term_min_months=6,
        term_max_months=36,
        rate_min=Decimal("3.1000"),
        rate_max=Decimal("4.5000"),
        **version,
    )
    divisions = industry_divisions()
    built = [build_enterprise(spec, zones, programs, divisions) for spec in enterprises]
    compiled = eligible(v, on=ON)
    for enterprise in built:
        result = evaluate(facts_for(enterprise, on=ON), v, on=ON)
        assert (enterprise.pk in compiled) == result.eligible, (
            [c for c in result.criteria if not c.passed],
            compiled,
        )
        if result.eligible:
            assert compiled[enterprise.pk] == (result.limit, result.score, result.figures_declared)
    assert _one_by_one(built, v) == compiled


def _one_by_one(built, version) -> dict:
    """What one enterprise's rematch (``firm``: facts once, versions in Python) stores."""
    for enterprise in built:
        rematch(enterprise_ids=[enterprise.pk], product_ids=[version.product_id], on=ON)
    return {
        m.enterprise_id: (m.indicative_limit, m.score, m.figures_declared)
        for m in Match.objects.filter(product_version=version)
    }


def _year(**changes):
    return {"verified_year": {**BASE_ENTERPRISE["verified_year"], **changes}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("version_changes", "enterprise_changes", "eligible_expected"),
    [
        ({"max_employees": 100}, {}, True),
        ({"min_rd_expense": Decimal(1_000_000)}, {}, True),
        ({"min_rd_expense": Decimal("1000000.01")}, {}, False),
        ({"industry_sections": ["I"]}, {"section": "I"}, True),
        ({"industry_sections": ["C"]}, {"section": "I"}, False),
        ({"programs_any": ["hte"]}, {"expired": {"hte"}}, False),
        ({"min_class_i_ip": 1}, _year(class_i_kind="ip_new_drugs"), True),
        ({"max_employees": 99}, {}, False),
        ({"min_revenue": Decimal(20_000_000)}, {}, True),
        ({"min_revenue": Decimal(20_000_001)}, {}, False),
        ({"max_revenue": Decimal(20_000_000)}, {}, True),
        ({"max_revenue": Decimal(19_999_999)}, {}, False),
        ({"min_rd_intensity": Decimal("0.0500")}, {}, True),
        ({"min_rd_intensity": Decimal("0.0501")}, {}, False),
        ({"min_age_years": 5}, {}, True),
        ({"min_age_years": 5}, {"age": (5, 1)}, False),
        ({"max_age_years": 5}, {"age": (6, 1)}, True),
        ({"max_age_years": 5}, {"age": (6, 0)}, False),
        ({"min_class_i_ip": 1}, {}, True),
        ({"min_class_i_ip": 2}, {}, False),
        ({"stages": ["growth"]}, {}, True),
        ({"stages": ["growth"]}, _year(revenue=Decimal(9_999_999), employees=49), False),
        ({"stages": ["maturity"]}, {"age": (8, 0), **_year(employees=300)}, True),
        ({"stages": ["maturity"]}, {"age": (8, 1), **_year(employees=300)}, False),
        ({"amount_min": Decimal(5_000_000)}, {}, True),
        ({"amount_min": Decimal(5_000_001)}, {}, False),
        (
            {
                "limit_basis": "rd_multiple",
                "limit_factor": Decimal("1"),
                "amount_min": Decimal(1_000_000),
            },
            {},
            True,
        ),  # rd = 1,000,000 exactly
        (
            {
                "limit_basis": "rd_multiple",
                "limit_factor": Decimal("0.9999"),
                "amount_min": Decimal(1_000_000),
            },
            {},
            False,
        ),  # 999,900 rounds down to 990,000
        # Declared figures: matched on them (indicative), by the same rules.
        ({"min_revenue": Decimal(20_000_000)}, {"year_verified": False}, True),
        ({"min_revenue": Decimal(20_000_001)}, {"year_verified": False}, False),
        (
            {"limit_basis": "revenue_share", "limit_factor": Decimal("0.1")},
            {"year_verified": False},
            True,
        ),
        # A later declared year does not replace a verified one.
        (
            {"min_revenue": Decimal(30_000_000)},
            {"declared_year": {**BASE_ENTERPRISE["verified_year"], "revenue": Decimal(40_000_000)}},
            False,
        ),
        # With no year verified, the latest declared year is the basis.
        (
            {"min_revenue": Decimal(30_000_000)},
            {
                "year_verified": False,
                "declared_year": {
                    **BASE_ENTERPRISE["verified_year"],
                    "revenue": Decimal(40_000_000),
                },
            },
            True,
        ),
    ],
)
def test_evaluator_and_query_agree_at_every_edge(
    version_changes, enterprise_changes, eligible_expected
):
    zones = {code: ZoneFactory(code=code) for code in ("a", "b")}
    programs = {code: ProgramFactory(code=code) for code in PROGRAMS}
    product = Product.objects.create(bank=BankFactory(), code="p", kind="unsecured", name_zh="产品")
    version = ProductVersion.objects.create(
        product=product,
        number=1,
        amount_max=Decimal(20_000_000),
        term_min_months=6,
        term_max_months=36,
        rate_min=Decimal("3.1"),
        rate_max=Decimal("4.5"),
        **{**BASE_VERSION, **version_changes},
    )
    enterprise = build_enterprise(
        {**BASE_ENTERPRISE, **enterprise_changes}, zones, programs, industry_divisions()
    )
    result = evaluate(facts_for(enterprise, on=ON), version, on=ON)
    compiled = eligible(version, on=ON)
    assert result.eligible == eligible_expected, result.failed
    assert (enterprise.pk in compiled) == eligible_expected
    assert _one_by_one([enterprise], version) == compiled
    if eligible_expected:
        assert compiled[enterprise.pk] == (result.limit, result.score, result.figures_declared)
        declared = enterprise_changes.get("year_verified") is False
        uses = version.limit_basis != "fixed" or bool(version_changes)
        assert result.figures_declared == (declared and uses)
