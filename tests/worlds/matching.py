"""Hypothesis strategies and builders shared by the matching agreement tests (the
evaluator against the compiled query)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase  # noqa: F401

from ecosystem.enterprises.models import (
    IndustryDivision,
)
from ecosystem.enterprises.stage import age_cutoff
from tests.factories import EnterpriseFactory, FinancialYearFactory, QualificationClaimFactory

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


year_st = st.fixed_dictionaries(
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
)


enterprise_st = st.fixed_dictionaries(
    {
        "age": age,
        "verified_year": st.one_of(st.none(), year_st),
        # The verified/declared dimension: the 2025 year above may be only declared, and a
        # later 2026 year may be declared on top of it (then pending, or itself the basis).
        "year_verified": st.booleans(),
        "declared_year": st.one_of(st.none(), year_st),
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
        industry=(divisions or industry_divisions())[spec["section"]]
        if spec.get("section")
        else None,
    )
    if spec["verified_year"]:
        status = "verified" if spec.get("year_verified", True) else "unverified"
        _year(enterprise, 2025, spec["verified_year"], status)
    if spec.get("declared_year"):
        _year(enterprise, 2026, spec["declared_year"], "unverified")
    for code in spec["programs"]:
        QualificationClaimFactory(
            enterprise=enterprise,
            program=programs[code],
            certificate_number="x",
            year=2025,
            status="verified",
        )
    for code in spec.get("expired", set()) - spec["programs"]:
        QualificationClaimFactory(
            enterprise=enterprise,
            program=programs[code],
            certificate_number="old",
            year=2020,
            status="verified",
            valid_until=ON - timedelta(days=1),
        )
    return enterprise


def _year(enterprise, year: int, y: dict, status: str) -> None:
    rd = (y["revenue"] * y["rd_share"] / 100).quantize(Decimal("1"))
    FinancialYearFactory(
        enterprise=enterprise,
        year=year,
        revenue=y["revenue"],
        total_costs=y["revenue"] + rd,
        total_assets=Decimal(1),
        rd_expense=rd,
        net_profit=Decimal(0),
        employees=y["employees"],
        rd_staff=0,
        **{y.get("class_i_kind", "ip_invention_patents"): y["class_i"]},
        verification_status=status,
    )


def industry_divisions():
    """One industry division in each of three GB/T 4754 sections (reference data)."""
    found = {}
    for code in ("C", "I", "M"):
        found[code] = IndustryDivision.objects.filter(section__code=code).order_by("code").first()
    assert all(found.values()), found
    return found


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
