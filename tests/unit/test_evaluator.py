"""The evaluator at every boundary, table-driven: each criterion exactly at its threshold
and just past it, the lifecycle stage edges, the limit formula in exact Decimal, "would
match once verified" and the advice rule. Pure: no database."""

from datetime import date, timedelta
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.utils import translation

from ecosystem.enterprises.stage import age_cutoff
from ecosystem.financing.eligibility.evaluator import evaluate, indicative_limit
from ecosystem.financing.eligibility.facts import EnterpriseFacts, Figures

ON = date(2026, 6, 15)
DAY = timedelta(days=1)

NO_CRITERIA = {
    "stages": [],
    "programs_all": [],
    "programs_any": [],
    "min_rd_intensity": None,
    "min_rd_expense": None,
    "min_revenue": None,
    "max_revenue": None,
    "max_employees": None,
    "min_age_years": None,
    "max_age_years": None,
    "min_class_i_ip": None,
    "zone_codes": [],
    "industry_sections": [],
    "limit_basis": "fixed",
    "limit_factor": D("1000000.0000"),
    "uplift_per_qualification": D("0.00"),
    "limit_floor": None,
    "limit_cap": None,
    "amount_min": D("0.00"),
    "amount_max": D("10000000.00"),
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def version(**terms):
    """A product version as the evaluator reads it: any object with these attributes."""
    return SimpleNamespace(**{**NO_CRITERIA, **terms})


def figures(revenue="20000000", rd="2000000", employees=100, class_i=1, year=2025):
    return Figures(year, D(revenue), D(rd), employees, class_i)


def facts(
    *,
    verified=None,
    programs=(),
    founded=date(2015, 1, 1),
    zone="zgc",
    section="I",
    pending=None,
    pending_programs=(),
    no_figures=False,
):
    return EnterpriseFacts(
        enterprise_id=1,
        founded_on=founded,
        zone_code=zone,
        industry_section=section,
        verified=None if no_figures else (verified or figures()),
        verified_programs=frozenset(programs),
        pending=pending,
        pending_programs=frozenset(pending_programs),
    )


def criterion(result, key):
    [found] = [c for c in result.criteria if c.key == key]
    return found


# (case id, version terms, facts, criterion key, passes?)
# fmt: off
BOUNDARIES = [
    # R&D intensity: expense / revenue ≥ minimum, exactly at the minimum passes.
    ("rd-intensity-at-min", {"min_rd_intensity": D("0.0500")},
     facts(verified=figures(revenue="10000000", rd="500000")), "rd_intensity", True),
    ("rd-intensity-just-below", {"min_rd_intensity": D("0.0500")},
     facts(verified=figures(revenue="10000000", rd="499999.99")), "rd_intensity", False),
    ("rd-intensity-no-revenue", {"min_rd_intensity": D("0.0500")},
     facts(verified=figures(revenue="0", rd="0")), "rd_intensity", False),
    ("rd-intensity-no-figures", {"min_rd_intensity": D("0.0500")},
     facts(no_figures=True), "rd_intensity", False),
    # Minimum R&D expense.
    ("rd-expense-at-min", {"min_rd_expense": D("500000.00")},
     facts(verified=figures(rd="500000.00")), "rd_expense", True),
    ("rd-expense-just-below", {"min_rd_expense": D("500000.00")},
     facts(verified=figures(rd="499999.99")), "rd_expense", False),
    # Revenue range, both ends inclusive.
    ("revenue-at-min", {"min_revenue": D("1000000.00")},
     facts(verified=figures(revenue="1000000.00", rd="0")), "revenue", True),
    ("revenue-just-below-min", {"min_revenue": D("1000000.00")},
     facts(verified=figures(revenue="999999.99", rd="0")), "revenue", False),
    ("revenue-at-max", {"max_revenue": D("50000000.00")},
     facts(verified=figures(revenue="50000000.00")), "revenue", True),
    ("revenue-just-above-max", {"max_revenue": D("50000000.00")},
     facts(verified=figures(revenue="50000000.01")), "revenue", False),
    # Maximum employees.
    ("employees-at-max", {"max_employees": 300},
     facts(verified=figures(employees=300)), "employees", True),
    ("employees-just-above", {"max_employees": 300},
     facts(verified=figures(employees=301)), "employees", False),
    # Minimum class-I IP.
    ("class-i-at-min", {"min_class_i_ip": 2},
     facts(verified=figures(class_i=2)), "class_i_ip", True),
    ("class-i-just-below", {"min_class_i_ip": 2},
     facts(verified=figures(class_i=1)), "class_i_ip", False),
    # Age: N whole years on the anniversary itself, one day short is N - 1.
    ("age-exactly-min", {"min_age_years": 3}, facts(founded=age_cutoff(3, ON)), "age", True),
    ("age-one-day-short-of-min", {"min_age_years": 3},
     facts(founded=age_cutoff(3, ON) + DAY), "age", False),
    ("age-exactly-max", {"max_age_years": 5}, facts(founded=age_cutoff(5, ON)), "age", True),
    ("age-one-past-max", {"max_age_years": 5}, facts(founded=age_cutoff(6, ON)), "age", False),
    ("age-one-day-short-of-past-max", {"max_age_years": 5},
     facts(founded=age_cutoff(6, ON) + DAY), "age", True),
    ("age-founded-today", {"min_age_years": 0}, facts(founded=ON), "age", True),
    ("age-unknown", {"min_age_years": 0}, facts(founded=None), "age", False),
    ("age-founded-in-future", {"max_age_years": 5}, facts(founded=ON + DAY), "age", False),
    # Zones and industry sections.
    ("zone-in", {"zone_codes": ["zgc", "gz-htz"]}, facts(zone="gz-htz"), "zone", True),
    ("zone-out", {"zone_codes": ["zgc"]}, facts(zone="zhangjiang"), "zone", False),
    ("industry-in", {"industry_sections": ["C", "I"]}, facts(section="I"), "industry", True),
    ("industry-out", {"industry_sections": ["C"]}, facts(section="I"), "industry", False),
    ("industry-unknown", {"industry_sections": ["C"]}, facts(section=""), "industry", False),
    # Qualifications: all-of needs every one, any-of at least one (verified only).
    ("programs-all-complete", {"programs_all": ["hte", "srdi"]},
     facts(programs={"hte", "srdi", "tsme"}), "programs_all", True),
    ("programs-all-one-missing", {"programs_all": ["hte", "srdi"]},
     facts(programs={"hte"}), "programs_all", False),
    ("programs-any-one", {"programs_any": ["hte", "srdi"]},
     facts(programs={"srdi"}), "programs_any", True),
    ("programs-any-none", {"programs_any": ["hte", "srdi"]},
     facts(programs={"tsme"}), "programs_any", False),
    ("programs-any-only-pending", {"programs_any": ["hte"]},
     facts(pending_programs={"hte"}), "programs_any", False),
    # The limit within the product's range: exactly the minimum amount passes.
    ("limit-at-amount-min", {"amount_min": D("1000000.00")}, facts(), "limit", True),
    ("limit-below-amount-min", {"amount_min": D("1000000.01")}, facts(), "limit", False),
]
# fmt: on


@pytest.mark.parametrize(
    ("terms", "enterprise", "key", "passes"),
    [case[1:] for case in BOUNDARIES],
    ids=[case[0] for case in BOUNDARIES],
)
def test_each_criterion_at_and_just_past_its_threshold(terms, enterprise, key, passes):
    result = evaluate(enterprise, version(**terms), on=ON)
    assert criterion(result, key).passed is passes
    assert result.eligible is passes


GROWTH_AGE = age_cutoff(3, ON)
MATURITY_AGE = age_cutoff(8, ON)
# (case id, founded, verified figures, stage)
# fmt: off
STAGES = [
    ("no-figures-is-startup", MATURITY_AGE, None, "startup"),
    ("growth-at-age-and-revenue", GROWTH_AGE,
     figures(revenue="10000000", employees=1), "growth"),
    ("growth-at-age-and-headcount", GROWTH_AGE,
     figures(revenue="0", rd="0", employees=50), "growth"),
    ("startup-revenue-and-headcount-just-short", GROWTH_AGE,
     figures(revenue="9999999.99", employees=49), "startup"),
    ("startup-one-day-too-young-for-growth", GROWTH_AGE + DAY,
     figures(revenue="10000000", employees=1), "startup"),
    ("maturity-at-age-and-revenue", MATURITY_AGE,
     figures(revenue="100000000", employees=1), "maturity"),
    ("maturity-at-age-and-headcount", MATURITY_AGE,
     figures(revenue="0", rd="0", employees=300), "maturity"),
    ("growth-one-day-too-young-for-maturity", MATURITY_AGE + DAY,
     figures(revenue="100000000", employees=1), "growth"),
    ("growth-size-just-short-of-maturity", MATURITY_AGE,
     figures(revenue="99999999.99", employees=299), "growth"),
    ("young-but-big-is-growth", ON - timedelta(days=30),
     figures(revenue="100000000", employees=1), "growth"),
]
# fmt: on


@pytest.mark.parametrize(
    ("founded", "verified", "stage"),
    [case[1:] for case in STAGES],
    ids=[case[0] for case in STAGES],
)
@pytest.mark.parametrize("required", ["startup", "growth", "maturity"])
def test_stage_edges(founded, verified, stage, required):
    enterprise = facts(founded=founded, verified=verified, no_figures=verified is None)
    result = evaluate(enterprise, version(stages=[required]), on=ON)
    assert criterion(result, "stage").passed is (stage == required)


def test_several_stages_accept_any_of_them():
    enterprise = facts(founded=GROWTH_AGE, verified=figures(revenue="10000000"))
    assert evaluate(enterprise, version(stages=["startup", "growth"]), on=ON).eligible
    assert not evaluate(enterprise, version(stages=["startup", "maturity"]), on=ON).eligible


RD2 = {"limit_basis": "rd_multiple", "limit_factor": D("2.0000")}
RD3 = {"limit_basis": "rd_multiple", "limit_factor": D("3.0000")}
SHARE = {"limit_basis": "revenue_share"}
# (case id, terms, verified figures, verified programs, expected limit)
# fmt: off
LIMITS = [
    ("fixed", {"limit_factor": D("3000000.0000")}, figures(), 0, D("3000000.00")),
    ("fixed-without-figures", {"limit_factor": D("3000000.0000")}, None, 0, D("3000000.00")),
    ("rd-multiple-rounds-down", RD2, figures(rd="1234567.89"), 0, D("2460000.00")),
    ("revenue-share-rounds-down", {**SHARE, "limit_factor": D("0.1500")},
     figures(revenue="12345678.00"), 0, D("1850000.00")),
    ("exact-multiple-of-10000-stays", {**SHARE, "limit_factor": D("0.1000")},
     figures(revenue="12400000.00"), 0, D("1240000.00")),
    ("one-cent-short-of-10000-rounds-down", {**SHARE, "limit_factor": D("0.1000")},
     figures(revenue="12399999.90"), 0, D("1230000.00")),
    ("uplift-per-verified-qualification", {**RD2, "uplift_per_qualification": D("500000.00")},
     figures(rd="1000000.00"), 3, D("3500000.00")),
    ("floor-raises", {**RD2, "limit_floor": D("500000.00")},
     figures(rd="100000.00"), 0, D("500000.00")),
    ("floor-not-needed", {**RD2, "limit_floor": D("500000.00")},
     figures(rd="300000.00"), 0, D("600000.00")),
    ("cap-lowers", {**RD3, "limit_cap": D("8000000.00")},
     figures(rd="3000000.00"), 0, D("8000000.00")),
    ("amount-max-lowers-below-cap",
     {**RD3, "limit_cap": D("8000000.00"), "amount_max": D("5000000.00")},
     figures(rd="3000000.00"), 0, D("5000000.00")),
    ("cap-then-rounded-down", {**RD3, "limit_cap": D("1234567.00")},
     figures(rd="3000000.00"), 0, D("1230000.00")),
    ("floor-above-cap-is-capped",
     {**RD2, "limit_factor": D("1.0000"), "limit_floor": D("9000000.00"),
      "amount_max": D("5000000.00")},
     figures(rd="1.00"), 0, D("5000000.00")),
]
# fmt: on


@pytest.mark.parametrize(
    ("terms", "verified", "programs", "expected"),
    [case[1:] for case in LIMITS],
    ids=[case[0] for case in LIMITS],
)
def test_limit_is_exact_decimal(terms, verified, programs, expected):
    limit, calculation = indicative_limit(version(**terms), verified, programs)
    assert isinstance(limit, D)
    assert limit == expected
    assert str(limit) == str(expected)  # two decimal places, never a float
    assert calculation.endswith("(rounded down to ¥10,000)")


def test_limit_calculation_names_each_step():
    terms = version(
        limit_basis="rd_multiple",
        limit_factor=D("2.0000"),
        uplift_per_qualification=D("500000.00"),
        limit_cap=D("2000000.00"),
    )
    limit, calculation = indicative_limit(terms, figures(rd="800000.00"), 2)
    assert limit == D("2000000.00")
    assert calculation == (
        "R&D expense ¥800,000.00 × 2 + 2 verified qualifications × ¥500,000.00, "
        "capped at ¥2,000,000.00 = ¥2,000,000.00 (rounded down to ¥10,000)"
    )


@pytest.mark.parametrize("basis", ["rd_multiple", "revenue_share"])
def test_limit_needs_yearly_figures_for_a_figure_based_formula(basis):
    limit, calculation = indicative_limit(version(limit_basis=basis), None, 2)
    assert limit is None
    assert calculation == "needs yearly figures"
    result = evaluate(facts(no_figures=True), version(limit_basis=basis), on=ON)
    assert not criterion(result, "limit").passed


def test_score_counts_verified_programs_up_to_four_and_class_i_ip():
    assert evaluate(facts(verified=figures(class_i=0)), version(), on=ON).score == 50
    assert evaluate(facts(verified=figures(class_i=1)), version(), on=ON).score == 60
    five = {"a", "b", "c", "d", "e"}
    assert (
        evaluate(facts(programs=five, verified=figures(class_i=1)), version(), on=ON).score == 100
    )


# ---- only verified data decides; unverified data "would match once verified" ----------

INTENSITY = {
    "min_rd_intensity": D("0.0500"),
    "limit_basis": "rd_multiple",
    "limit_factor": D("2.0000"),
}


def test_only_unverified_figures_pass_would_match_once_verified():
    enterprise = facts(no_figures=True, pending=figures(revenue="10000000", rd="600000"))
    result = evaluate(enterprise, version(**INTENSITY), on=ON)
    assert not result.eligible
    assert result.would_match_once_verified
    assert criterion(result, "rd_intensity").pending_verification
    assert criterion(result, "limit").pending_verification
    assert result.advice == [
        "R&D intensity: would pass once your data under review is verified.",
        "indicative limit within the product's range: would pass once your data under review "
        "is verified.",
    ]


def test_a_program_under_review_would_match_once_verified():
    result = evaluate(facts(pending_programs={"hte"}), version(programs_any=["hte"]), on=ON)
    assert not result.eligible
    assert criterion(result, "programs_any").pending_verification
    assert result.would_match_once_verified


def test_unverified_figures_that_fail_too_are_not_would_match():
    enterprise = facts(
        verified=figures(revenue="10000000", rd="100000"),
        pending=figures(revenue="10000000", rd="400000"),
    )
    result = evaluate(enterprise, version(**INTENSITY), on=ON)
    assert not result.eligible
    assert not criterion(result, "rd_intensity").pending_verification
    assert not result.would_match_once_verified


def test_verified_data_decides_even_when_newer_unverified_data_is_worse():
    enterprise = facts(
        verified=figures(revenue="10000000", rd="600000"),
        pending=figures(revenue="10000000", rd="1"),
    )
    result = evaluate(enterprise, version(**INTENSITY), on=ON)
    assert result.eligible
    assert not result.would_match_once_verified


def test_eligible_is_never_would_match_once_verified():
    result = evaluate(facts(), version(), on=ON)
    assert result.eligible and not result.would_match_once_verified and result.advice == []


def test_a_program_under_review_whose_uplift_lifts_the_limit_would_match_once_verified():
    terms = version(
        programs_any=["tsme"],
        limit_basis="rd_multiple",
        limit_factor=D("2.0000"),
        uplift_per_qualification=D("500000.00"),
        amount_min=D("500000.00"),
    )
    enterprise = facts(verified=figures(revenue="1000000", rd="100000"), pending_programs={"tsme"})
    result = evaluate(enterprise, terms, on=ON)
    assert not result.eligible
    assert result.would_match_once_verified


# ---- advice only when at most two criteria fail --------------------------------------

THREE = {"max_employees": 10, "min_class_i_ip": 5, "zone_codes": ["elsewhere"]}


@pytest.mark.parametrize(
    ("terms", "failures", "advised"),
    [
        ({}, 0, 0),
        ({"max_employees": 10}, 1, 1),
        ({"max_employees": 10, "min_class_i_ip": 5}, 2, 2),
        (THREE, 3, 0),
    ],
    ids=["eligible", "one-failure", "two-failures", "three-failures"],
)
def test_advice_only_when_at_most_two_criteria_fail(terms, failures, advised):
    result = evaluate(facts(verified=figures(employees=100, class_i=1)), version(**terms), on=ON)
    assert len(result.failed) == failures
    assert len(result.advice) == advised


def test_advice_says_what_is_needed_and_what_is_there():
    result = evaluate(facts(verified=figures(employees=301)), version(max_employees=300), on=ON)
    assert result.advice == ["employees: needs ≤ 300 (now 301)."]
