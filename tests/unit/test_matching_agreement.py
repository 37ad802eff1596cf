"""The evaluator and the compiled query agree on random enterprises and products."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase  # noqa: F401

from ecosystem.enterprises.models import (
    Enterprise,
    FinancialYear,
    IndustryDivision,
    QualificationClaim,
)
from ecosystem.enterprises.stage import age_cutoff
from ecosystem.financing.eligibility.evaluator import evaluate
from ecosystem.financing.eligibility.facts import facts_for
from ecosystem.financing.eligibility.matcher import eligible
from ecosystem.financing.models import Product, ProductVersion
from tests.factories import BankFactory, EnterpriseFactory, ProgramFactory, ZoneFactory

ON = date(2026, 11, 27)
PROGRAMS = ["hte", "tsme", "srdi"]
REVENUE_EDGES = [
    0,
    999_999,
    1_000_000,
    9_999_999,
    10_000_000,
    50_000_000,
    50_000_001,
    99_999_999,
    100_000_000,
    200_000_000,
    200_000_001,
]
money = st.one_of(
    st.sampled_from(REVENUE_EDGES), st.integers(min_value=0, max_value=300_000_000)
).map(Decimal)
headcount = st.one_of(
    st.sampled_from([0, 49, 50, 51, 299, 300, 301, 499, 500, 501]), st.integers(0, 600)
)
age = st.one_of(st.none(), st.tuples(st.integers(0, 16), st.sampled_from([-1, 0, 1])))

enterprise_st = st.fixed_dictionaries(
    {
        "age": age,
        "verified_year": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {
                    "revenue": money,
                    "rd_share": st.sampled_from([0, 3, 5, 10, 30]),
                    "employees": headcount,
                    "class_i": st.integers(0, 3),
                    # Class-I IP of every kind counts, not only invention patents.
                    "class_i_kind": st.sampled_from(
                        [
                            "ip_invention_patents",
                            "ip_ic_layouts",
                            "ip_plant_varieties",
                            "ip_new_drugs",
                        ]
                    ),
                }
            ),
        ),
        "programs": st.sets(st.sampled_from(PROGRAMS)),
        # Claims whose certificate ran out before ON do not count.
        "expired": st.sets(st.sampled_from(PROGRAMS)),
        "zone": st.sampled_from(["a", "b"]),
        "section": st.sampled_from(["C", "I", "M", None]),
    }
)
version_st = st.fixed_dictionaries(
    {
        "stages": st.sets(st.sampled_from(["startup", "growth", "maturity"])).map(sorted),
        "programs_all": st.sets(st.sampled_from(PROGRAMS), max_size=1).map(sorted),
        "programs_any": st.sets(st.sampled_from(PROGRAMS), max_size=2).map(sorted),
        "min_rd_intensity": st.one_of(
            st.none(), st.sampled_from([Decimal("0.0300"), Decimal("0.0500"), Decimal("0.1000")])
        ),
        "min_rd_expense": st.one_of(
            st.none(), st.sampled_from([Decimal(0), Decimal(300_000), Decimal(3_000_000)])
        ),
        "industry_sections": st.sets(st.sampled_from(["C", "I", "M"]), max_size=2).map(sorted),
        "min_revenue": st.one_of(
            st.none(), st.sampled_from([Decimal(1_000_000), Decimal(10_000_000)])
        ),
        "max_revenue": st.one_of(
            st.none(), st.sampled_from([Decimal(50_000_000), Decimal(200_000_000)])
        ),
        "max_employees": st.one_of(st.none(), st.sampled_from([50, 300, 500])),
        "min_age_years": st.one_of(st.none(), st.integers(0, 8)),
        "max_age_years": st.one_of(st.none(), st.integers(3, 15)),
        "min_class_i_ip": st.one_of(st.none(), st.integers(0, 2)),
        "zone_codes": st.sets(st.sampled_from(["a", "b"]), max_size=1).map(sorted),
        "limit_basis": st.sampled_from(["rd_multiple", "revenue_share", "fixed"]),
        "limit_factor": st.sampled_from(
            [Decimal("2.0000"), Decimal("0.1500"), Decimal("5000000.0000")]
        ),
        "uplift_per_qualification": st.sampled_from([Decimal(0), Decimal(500_000)]),
        "limit_floor": st.one_of(st.none(), st.just(Decimal(1_000_000))),
        "limit_cap": st.one_of(st.none(), st.just(Decimal(8_000_000))),
        "amount_min": st.sampled_from([Decimal(0), Decimal(1_000_000), Decimal(3_000_000)]),
    }
)


def build_enterprise(spec, zones, programs, divisions=None):
    founded = None
    if spec["age"] is not None:
        years, delta = spec["age"]
        founded = min(ON, age_cutoff(years, ON) + timedelta(days=delta))
    enterprise = EnterpriseFactory(
        zone=zones[spec["zone"]],
        founded_on=founded,
        industry=(divisions or _divisions())[spec["section"]] if spec.get("section") else None,
    )
    y = spec["verified_year"]
    if y:
        rd = (y["revenue"] * y["rd_share"] / 100).quantize(Decimal("1"))
        FinancialYear.objects.create(
            enterprise=enterprise,
            year=2025,
            revenue=y["revenue"],
            total_costs=y["revenue"] + rd,
            total_assets=Decimal(1),
            rd_expense=rd,
            net_profit=Decimal(0),
            employees=y["employees"],
            rd_staff=0,
            **{y.get("class_i_kind", "ip_invention_patents"): y["class_i"]},
            verification_status="verified",
        )
    for code in spec["programs"]:
        QualificationClaim.objects.create(
            enterprise=enterprise,
            program=programs[code],
            certificate_number="x",
            year=2025,
            status="verified",
        )
    for code in spec.get("expired", set()) - spec["programs"]:
        QualificationClaim.objects.create(
            enterprise=enterprise,
            program=programs[code],
            certificate_number="old",
            year=2020,
            status="verified",
            valid_until=ON - timedelta(days=1),
        )
    return enterprise


def _divisions():
    """One industry division in each of three GB/T 4754 sections (reference data)."""
    found = {}
    for code in ("C", "I", "M"):
        found[code] = IndustryDivision.objects.filter(section__code=code).order_by("code").first()
    assert all(found.values()), found
    return found


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
    divisions = _divisions()
    built = [build_enterprise(spec, zones, programs, divisions) for spec in enterprises]
    compiled = eligible(v, on=ON)
    for enterprise in built:
        result = evaluate(facts_for(enterprise, on=ON), v, on=ON)
        assert (enterprise.pk in compiled) == result.eligible, (
            [c for c in result.criteria if not c.passed],
            compiled,
        )
        if result.eligible:
            assert compiled[enterprise.pk] == (result.limit, result.score)


BASE_VERSION = {
    "stages": [],
    "programs_all": [],
    "programs_any": [],
    "min_rd_intensity": None,
    "min_revenue": None,
    "max_revenue": None,
    "max_employees": None,
    "min_age_years": None,
    "max_age_years": None,
    "min_class_i_ip": None,
    "zone_codes": [],
    "limit_basis": "fixed",
    "limit_factor": Decimal("5000000"),
    "uplift_per_qualification": Decimal(0),
    "limit_floor": None,
    "limit_cap": None,
    "amount_min": Decimal(0),
}
BASE_ENTERPRISE = {
    "age": (5, 0),
    "programs": set(),
    "zone": "a",
    "verified_year": {
        "revenue": Decimal(20_000_000),
        "rd_share": 5,
        "employees": 100,
        "class_i": 1,
    },
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
        {**BASE_ENTERPRISE, **enterprise_changes}, zones, programs, _divisions()
    )
    result = evaluate(facts_for(enterprise, on=ON), version, on=ON)
    compiled = eligible(version, on=ON)
    assert result.eligible == eligible_expected, result.failed
    assert (enterprise.pk in compiled) == eligible_expected
    if eligible_expected:
        assert compiled[enterprise.pk] == (result.limit, result.score)
