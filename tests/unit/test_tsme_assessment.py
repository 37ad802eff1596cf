"""Technology-based SME self-assessment: bands, gates, pass mark and routes, at every edge."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation

from ecosystem.enterprises.assessment import TSME_RULES_2017, assess

D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def firm(**overrides):
    """A firm inside the gates scoring 20 + 50 + 30 = 100, with one figure changed."""
    figures = {
        "employees": 100,
        "st_staff": 30,
        "revenue": D("100000000"),
        "total_costs": D("1000000000"),
        "total_assets": D("50000000"),
        "rd_expense": D("6000000"),
        "class_i_ip": 1,
        "class_ii_ip": 0,
    }
    figures.update(overrides)
    return assess(**figures)


@pytest.mark.parametrize(
    ("st_staff", "points"),
    [
        (150, 20),  # 30.0%
        (149, 16),  # 29.8%
        (125, 16),  # 25.0%
        (124, 12),
        (100, 12),  # 20.0%
        (99, 8),
        (75, 8),  # 15.0%
        (74, 4),
        (50, 4),  # 10.0%
        (49, 0),
        (0, 0),
    ],
)
def test_staff_share_band_edges_give_documented_points(st_staff, points):
    assert firm(employees=500, st_staff=st_staff).staff_points == points


@pytest.mark.parametrize(
    ("rd_expense", "points"),
    [
        ("6000000", 50),  # 6%
        ("5999999.99", 40),
        ("5000000", 40),  # 5%
        ("4999999.99", 30),
        ("4000000", 30),  # 4%
        ("3999999.99", 20),
        ("3000000", 20),  # 3%
        ("2999999.99", 10),
        ("2000000", 10),  # 2%
        ("1999999.99", 0),
        ("0", 0),
    ],
)
def test_rd_to_revenue_band_edges_give_documented_points(rd_expense, points):
    result = firm(revenue=D("100000000"), total_costs=D("1000000000"), rd_expense=D(rd_expense))
    assert result.rd_points == points
    assert result.rd_basis == "revenue"


@pytest.mark.parametrize(
    ("rd_expense", "points"),
    [
        ("3000000", 50),  # 30%
        ("2999999.99", 40),
        ("2500000", 40),  # 25%
        ("2499999.99", 30),
        ("2000000", 30),  # 20%
        ("1999999.99", 20),
        ("1500000", 20),  # 15%
        ("1499999.99", 10),
        ("1000000", 10),  # 10%
        ("999999.99", 0),
    ],
)
def test_rd_to_costs_band_edges_give_documented_points(rd_expense, points):
    # Against revenue of ¥200M these expenses stay below 2%, so only the cost ratio scores.
    result = firm(revenue=D("200000000"), total_costs=D("10000000"), rd_expense=D(rd_expense))
    assert result.rd_points == points
    assert result.rd_basis == ("costs" if points else "revenue")


@pytest.mark.parametrize(
    ("rd_expense", "revenue", "total_costs", "points", "basis"),
    [
        ("6000000", "100000000", "100000000", 50, "revenue"),  # 6% and 6%
        ("5999999.99", "100000000", "19999999", 50, "costs"),  # 5.99% and 30.00001%
        ("6000000", "120000000", "24000000", 40, "revenue"),  # 5% and 25%: a tie keeps revenue
        ("6000000", "300000000", "24000000", 40, "costs"),  # 2% and 25%
    ],
)
def test_rd_points_are_the_higher_of_the_two_ratios(
    rd_expense, revenue, total_costs, points, basis
):
    result = firm(rd_expense=D(rd_expense), revenue=D(revenue), total_costs=D(total_costs))
    assert (result.rd_points, result.rd_basis) == (points, basis)


@pytest.mark.parametrize(
    ("class_i_ip", "class_ii_ip", "points"),
    [
        (1, 0, 30),
        (3, 10, 30),
        (0, 5, 24),
        (0, 4, 24),
        (0, 3, 18),
        (0, 2, 12),
        (0, 1, 6),
        (0, 0, 0),
    ],
)
def test_technical_results_give_documented_points(class_i_ip, class_ii_ip, points):
    assert firm(class_i_ip=class_i_ip, class_ii_ip=class_ii_ip).results_points == points


@pytest.mark.parametrize(
    ("overrides", "gate", "passes"),
    [
        ({"employees": 500, "st_staff": 150}, "employees", True),
        ({"employees": 501, "st_staff": 151}, "employees", False),
        ({"revenue": D("200000000"), "rd_expense": D("12000000")}, "revenue", True),
        ({"revenue": D("200000000.01"), "rd_expense": D("12000001")}, "revenue", False),
        ({"total_assets": D("200000000")}, "total_assets", True),
        ({"total_assets": D("200000000.01")}, "total_assets", False),
    ],
)
def test_size_gates_hold_up_to_and_including_the_limit(overrides, gate, passes):
    result = firm(**overrides)
    assert result.score == 100
    assert {g.name: g.passed for g in result.gates}[gate] is passes
    assert all(g.passed for g in result.gates if g.name != gate)
    assert result.passed is passes
    assert result.route == ("score" if passes else None)


def test_gate_results_carry_actual_limit_and_label():
    gates = {g.name: g for g in firm(employees=501, st_staff=151).gates}
    employees = gates["employees"]
    assert (employees.actual, employees.limit, employees.passed) == (501, 500, False)
    assert employees.label == "Employees"
    assert gates["revenue"].limit == D("200000000")
    assert gates["total_assets"].actual == D("50000000")


@pytest.mark.parametrize(
    ("overrides", "score", "passes"),
    [
        # 20 + 10 + 30: exactly the pass mark
        ({"rd_expense": D("2000000")}, 60, True),
        # 16 + 30 + 12 and 20 + 20 + 18: the highest scores below the pass mark
        (
            {"st_staff": 29, "rd_expense": D("4000000"), "class_i_ip": 0, "class_ii_ip": 2},
            58,
            False,
        ),
        (
            {"rd_expense": D("3000000"), "class_i_ip": 0, "class_ii_ip": 3},
            58,
            False,
        ),
        # 4 + 50 + 6
        ({"st_staff": 10, "class_i_ip": 0, "class_ii_ip": 1}, 60, True),
    ],
)
def test_passes_at_sixty_and_fails_below(overrides, score, passes):
    result = firm(**overrides)
    assert result.score == score
    assert result.passed is passes
    assert result.route == ("score" if passes else None)


@pytest.mark.parametrize(("ip_points", "passes"), [(10, True), (9, False)])
def test_pass_mark_compares_the_exact_score(ip_points, passes):
    rules = replace(TSME_RULES_2017, class_ii_ip_bands=((1, ip_points),))
    result = assess(
        employees=100,
        st_staff=30,
        revenue=D("100000000"),
        total_costs=D("1000000000"),
        total_assets=D("1000000"),
        rd_expense=D("4000000"),
        class_i_ip=0,
        class_ii_ip=1,
        rules=rules,
    )
    assert result.score == 50 + ip_points
    assert result.passed is passes


def test_zero_staff_points_fail_even_with_a_passing_score():
    result = firm(st_staff=9)
    assert result.staff_points == 0
    assert result.score == 80
    assert result.passed is False
    assert result.route is None
    assert "An S&T staff score of 0 fails the assessment whatever the total score." in (
        result.reasons
    )


def test_valid_high_tech_certificate_qualifies_directly_and_still_shows_the_score():
    result = firm(st_staff=0, rd_expense=D("0"), class_i_ip=0, has_valid_hte_certificate=True)
    assert result.score == 0
    assert result.passed is True
    assert result.route == "direct"


def test_direct_route_is_reported_when_both_routes_are_open():
    result = firm(has_valid_hte_certificate=True)
    assert result.score == 100
    assert (result.passed, result.route) == (True, "direct")


@pytest.mark.parametrize(
    "overrides",
    [
        {"employees": 501, "st_staff": 151},
        {"revenue": D("200000000.01")},
        {"total_assets": D("200000000.01")},
    ],
)
def test_failed_gate_blocks_the_direct_route(overrides):
    result = firm(has_valid_hte_certificate=True, **overrides)
    assert result.passed is False
    assert result.route is None
    assert (
        "A high-tech enterprise certificate qualifies a firm directly only within the size "
        "limits." in result.reasons
    )


def test_no_employees_scores_zero_staff_points_without_error():
    result = firm(employees=0, st_staff=0)
    assert result.staff_share is None
    assert result.staff_points == 0
    assert result.passed is False


def test_no_revenue_scores_rd_on_costs_alone():
    result = firm(revenue=D("0"), total_costs=D("20000000"), rd_expense=D("6000000"))
    assert result.rd_revenue_ratio is None
    assert result.rd_cost_ratio == D("30.00")
    assert (result.rd_points, result.rd_basis) == (50, "costs")


def test_no_costs_scores_rd_on_revenue_alone():
    result = firm(total_costs=D("0"))
    assert result.rd_cost_ratio is None
    assert (result.rd_points, result.rd_basis) == (50, "revenue")


def test_no_revenue_and_no_costs_score_zero_rd_points():
    result = firm(revenue=D("0"), total_costs=D("0"))
    assert (result.rd_revenue_ratio, result.rd_cost_ratio) == (None, None)
    assert result.rd_points == 0


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"employees": 500, "st_staff": 150}, "staff_share", D("30.00")),
        ({"employees": 3, "st_staff": 2}, "staff_share", D("66.66")),
        ({"rd_expense": D("5999999.99")}, "rd_revenue_ratio", D("5.99")),
        ({"total_costs": D("20000000")}, "rd_cost_ratio", D("30.00")),
    ],
)
def test_ratios_are_percent_truncated_to_two_decimals(overrides, field, expected):
    value = getattr(firm(**overrides), field)
    assert value == expected
    assert str(value) == str(expected)


@pytest.mark.parametrize(
    ("overrides", "expected_reason"),
    [
        ({}, "Score 100 reaches the pass mark of 60 with a non-zero S&T staff score."),
        (
            {"class_i_ip": 0},
            "Score 70 reaches the pass mark of 60 with a non-zero S&T staff score.",
        ),
        ({"class_i_ip": 0, "rd_expense": D("0")}, "Score 20 is below the pass mark of 60."),
        ({"employees": 501, "st_staff": 151}, "Employees: 501, above the limit of 500."),
        (
            {"total_assets": D("200000000.01")},
            "Total assets: ¥200,000,000.01, above the limit of ¥200,000,000.",
        ),
        (
            {"employees": 500, "st_staff": 150},
            "S&T staff are 30.00% of employees: 20 of 20 points.",
        ),
        (
            {"total_costs": D("0")},
            "R&D expense against revenue: 6.00% (50 points); against total costs: cannot be "
            "worked out (0 points). The higher counts: 50 of 50 points.",
        ),
        (
            {"class_i_ip": 0, "class_ii_ip": 3},
            "No class I and 3 class II intellectual property rights: 18 of 30 points.",
        ),
        (
            {"has_valid_hte_certificate": True},
            "The valid high-tech enterprise certificate qualifies the firm directly "
            "(score 100; the pass mark is 60).",
        ),
    ],
)
def test_reasons_explain_the_outcome(overrides, expected_reason):
    assert expected_reason in firm(**overrides).reasons


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"revenue": 1e8}, TypeError),
        ({"rd_expense": D("-1")}, ValueError),
        ({"class_ii_ip": -1}, ValueError),
        ({"employees": 10, "st_staff": 11}, ValueError),
    ],
)
def test_invalid_figures_are_refused(overrides, error):
    with pytest.raises(error):
        firm(**overrides)
