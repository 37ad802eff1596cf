"""Scoring a firm's own figures against the rules: gates, points, route."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext

from ecosystem.enterprises.assessment.reasons import (
    gate_reasons,
    outcome_reasons,
    rd_reason,
    results_reason,
    staff_reason,
)
from ecosystem.enterprises.assessment.rules import (
    RD_BASIS_COSTS,
    RD_BASIS_REVENUE,
    ROUTE_DIRECT,
    ROUTE_SCORE,
    TSME_RULES_2017,
    Bands,
    TsmeRules,
)


@dataclass(frozen=True)
class GateResult:
    name: str
    actual: int | Decimal
    limit: int | Decimal
    passed: bool
    label: str


@dataclass(frozen=True)
class Assessment:
    """Outcome of :func:`assess`. Ratios are percent (``Decimal("30.00")``), or ``None``
    when the denominator is zero."""

    gates: list[GateResult]
    staff_share: Decimal | None
    staff_points: int
    rd_revenue_ratio: Decimal | None
    rd_cost_ratio: Decimal | None
    rd_points: int
    rd_basis: str
    results_points: int
    score: int
    passed: bool
    route: str | None
    reasons: list[str]

    @property
    def gates_passed(self) -> bool:
        return all(gate.passed for gate in self.gates)


def assess(
    *,
    employees: int,
    st_staff: int,
    revenue: Decimal,
    total_costs: Decimal,
    total_assets: Decimal,
    rd_expense: Decimal,
    class_i_ip: int,
    class_ii_ip: int,
    has_valid_hte_certificate: bool = False,
    rules: TsmeRules = TSME_RULES_2017,
) -> Assessment:
    """Score a firm's own figures against the rules; see the package docstring
    (``ecosystem.enterprises.assessment``).

    Money is yuan as ``Decimal`` (a float raises ``TypeError``). Negative figures, or
    more S&T staff than employees, raise ``ValueError``: the form should stop those.
    ``has_valid_hte_certificate`` means a verified high-tech enterprise certificate
    that has not expired on the day of the assessment; the caller decides that.
    """
    revenue = _money("revenue", revenue)
    total_costs = _money("total_costs", total_costs)
    total_assets = _money("total_assets", total_assets)
    rd_expense = _money("rd_expense", rd_expense)
    if min(employees, st_staff, class_i_ip, class_ii_ip) < 0:
        raise ValueError("head and IP counts must not be negative")
    if st_staff > employees:
        raise ValueError("st_staff must not exceed employees")

    gates = [
        GateResult(
            name="employees",
            actual=employees,
            limit=rules.max_employees,
            passed=employees <= rules.max_employees,
            label=gettext("Employees"),
        ),
        GateResult(
            name="revenue",
            actual=revenue,
            limit=rules.max_revenue,
            passed=revenue <= rules.max_revenue,
            label=gettext("Yearly sales revenue"),
        ),
        GateResult(
            name="total_assets",
            actual=total_assets,
            limit=rules.max_total_assets,
            passed=total_assets <= rules.max_total_assets,
            label=gettext("Total assets"),
        ),
    ]
    gates_passed = all(gate.passed for gate in gates)

    staff_points = _band_points(st_staff, employees, rules.staff_share_bands)
    rd_revenue_points = _band_points(rd_expense, revenue, rules.rd_revenue_bands)
    rd_cost_points = _band_points(rd_expense, total_costs, rules.rd_cost_bands)
    if rd_cost_points > rd_revenue_points:
        rd_points, rd_basis = rd_cost_points, RD_BASIS_COSTS
    else:
        rd_points, rd_basis = rd_revenue_points, RD_BASIS_REVENUE
    results_points = _results_points(class_i_ip, class_ii_ip, rules)
    score = staff_points + rd_points + results_points

    score_route_open = gates_passed and score >= rules.pass_score and staff_points > 0
    direct_route_open = gates_passed and has_valid_hte_certificate
    if direct_route_open:
        route = ROUTE_DIRECT
    elif score_route_open:
        route = ROUTE_SCORE
    else:
        route = None

    staff_share = _percent(st_staff, employees)
    rd_revenue_ratio = _percent(rd_expense, revenue)
    rd_cost_ratio = _percent(rd_expense, total_costs)
    reasons = [
        *gate_reasons(gates),
        staff_reason(staff_share, staff_points, rules),
        rd_reason(
            rd_revenue_ratio, rd_revenue_points, rd_cost_ratio, rd_cost_points, rd_points, rules
        ),
        results_reason(class_i_ip, class_ii_ip, results_points, rules),
        *outcome_reasons(
            gates_passed=gates_passed,
            score=score,
            staff_points=staff_points,
            has_valid_hte_certificate=has_valid_hte_certificate,
            route=route,
            rules=rules,
        ),
    ]
    return Assessment(
        gates=gates,
        staff_share=staff_share,
        staff_points=staff_points,
        rd_revenue_ratio=rd_revenue_ratio,
        rd_cost_ratio=rd_cost_ratio,
        rd_points=rd_points,
        rd_basis=rd_basis,
        results_points=results_points,
        score=score,
        passed=route is not None,
        route=route,
        reasons=reasons,
    )


def _money(name: str, value) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{name} must be a Decimal, not a float")
    value = Decimal(value)
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value


def _band_points(numerator, denominator, bands: Bands) -> int:
    """Points of the first band whose bound the share reaches, compared exactly as
    ``numerator >= bound * denominator``; 0 when the denominator is zero."""
    if not denominator:
        return 0
    for bound, points in bands:
        if numerator >= bound * denominator:
            return points
    return 0


def _results_points(class_i_ip: int, class_ii_ip: int, rules: TsmeRules) -> int:
    if class_i_ip >= 1:
        return rules.class_i_ip_points
    for minimum, points in rules.class_ii_ip_bands:
        if class_ii_ip >= minimum:
            return points
    return 0


def _percent(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    share = Decimal(numerator) * 100 / Decimal(denominator)
    return share.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def assess_year(year, *, has_valid_hte_certificate: bool = False) -> Assessment:
    """``assess`` on a ``FinancialYear`` (any object with its figure attributes)."""
    return assess(
        employees=year.employees,
        st_staff=year.rd_staff,
        revenue=year.revenue,
        total_costs=year.total_costs,
        total_assets=year.total_assets,
        rd_expense=year.rd_expense,
        class_i_ip=year.class_i_ip,
        class_ii_ip=year.class_ii_ip,
        has_valid_hte_certificate=has_valid_hte_certificate,
    )
