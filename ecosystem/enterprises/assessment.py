"""Technology-based SME self-assessment (科技型中小企业评价办法, MOST 2017).

**Advisory only.** This module scores figures the firm types in, so the firm can see
whether it is likely to qualify and why. It verifies nothing: the official evaluation
is made by the provincial science and technology authorities on the national service
platform, and only that result counts.

The rules, all held as data in :data:`TSME_RULES_2017`:

* **Gates** (article 6): at most 500 employees, yearly sales revenue at most
  ¥200,000,000 and total assets at most ¥200,000,000.
* **Score** (article 7 and the annex), out of 100:

  - S&T staff as a share of employees, up to 20 points;
  - R&D intensity, up to 50 points: the higher of R&D expense against sales revenue
    and R&D expense against total costs;
  - technical results, up to 30 points: any class I intellectual property right, or
    else the count of class II rights.

* **Pass** when every gate holds, the score is at least 60 and the staff score is not 0
  (the *score route*), or when every gate holds and the firm has a valid high-tech
  enterprise certificate (the *direct route*; the score is still shown). When both
  routes are open the direct one is reported, since it needs no scoring.

Every band boundary is inclusive ("at least"). Ratios are compared exactly, by
cross-multiplication in ``Decimal``; a zero denominator gives 0 points for that
ratio rather than an error. Ratios are reported in percent, truncated to two decimals
so a shown figure never rounds up past a band boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext, ngettext

Bands = tuple[tuple[Decimal, int], ...]


@dataclass(frozen=True)
class TsmeRules:
    """Thresholds of the evaluation rules. Shares are fractions (``0.30`` is 30%);
    each band is ``(inclusive lower bound, points)``, highest first."""

    max_employees: int = 500
    max_revenue: Decimal = Decimal("200000000")
    max_total_assets: Decimal = Decimal("200000000")
    staff_share_bands: Bands = (
        (Decimal("0.30"), 20),
        (Decimal("0.25"), 16),
        (Decimal("0.20"), 12),
        (Decimal("0.15"), 8),
        (Decimal("0.10"), 4),
    )
    rd_revenue_bands: Bands = (
        (Decimal("0.06"), 50),
        (Decimal("0.05"), 40),
        (Decimal("0.04"), 30),
        (Decimal("0.03"), 20),
        (Decimal("0.02"), 10),
    )
    rd_cost_bands: Bands = (
        (Decimal("0.30"), 50),
        (Decimal("0.25"), 40),
        (Decimal("0.20"), 30),
        (Decimal("0.15"), 20),
        (Decimal("0.10"), 10),
    )
    class_i_ip_points: int = 30
    class_ii_ip_bands: tuple[tuple[int, int], ...] = ((4, 24), (3, 18), (2, 12), (1, 6))
    staff_max_points: int = 20
    rd_max_points: int = 50
    results_max_points: int = 30
    pass_score: int = 60


TSME_RULES_2017 = TsmeRules()

ROUTE_SCORE = "score"
ROUTE_DIRECT = "direct"
RD_BASIS_REVENUE = "revenue"
RD_BASIS_COSTS = "costs"


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
    """Score a firm's own figures against the rules; see the module docstring.

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
        *_gate_reasons(gates),
        _staff_reason(staff_share, staff_points, rules),
        _rd_reason(
            rd_revenue_ratio, rd_revenue_points, rd_cost_ratio, rd_cost_points, rd_points, rules
        ),
        _results_reason(class_i_ip, class_ii_ip, results_points, rules),
        *_outcome_reasons(
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


def _gate_reasons(gates: list[GateResult]) -> list[str]:
    reasons = []
    for gate in gates:
        if gate.passed:
            continue
        if gate.name == "employees":
            actual, limit = str(gate.actual), str(gate.limit)
        else:
            actual, limit = _yuan(gate.actual), _yuan(gate.limit)
        reasons.append(
            gettext("%(label)s: %(actual)s, above the limit of %(limit)s.")
            % {"label": gate.label, "actual": actual, "limit": limit}
        )
    return reasons


def _staff_reason(share: Decimal | None, points: int, rules: TsmeRules) -> str:
    params = {"share": share, "points": points, "max": rules.staff_max_points}
    if share is None:
        return (
            gettext(
                "With no employees recorded, the S&T staff share cannot be worked out: "
                "%(points)d of %(max)d points."
            )
            % params
        )
    return gettext("S&T staff are %(share)s%% of employees: %(points)d of %(max)d points.") % params


def _rd_reason(
    revenue_ratio: Decimal | None,
    revenue_points: int,
    cost_ratio: Decimal | None,
    cost_points: int,
    points: int,
    rules: TsmeRules,
) -> str:
    not_computable = gettext("cannot be worked out")
    return gettext(
        "R&D expense against revenue: %(revenue_ratio)s (%(revenue_points)d points); "
        "against total costs: %(cost_ratio)s (%(cost_points)d points). The higher counts: "
        "%(points)d of %(max)d points."
    ) % {
        "revenue_ratio": f"{revenue_ratio}%" if revenue_ratio is not None else not_computable,
        "revenue_points": revenue_points,
        "cost_ratio": f"{cost_ratio}%" if cost_ratio is not None else not_computable,
        "cost_points": cost_points,
        "points": points,
        "max": rules.rd_max_points,
    }


def _results_reason(class_i_ip: int, class_ii_ip: int, points: int, rules: TsmeRules) -> str:
    params = {
        "class_i": class_i_ip,
        "class_ii": class_ii_ip,
        "points": points,
        "max": rules.results_max_points,
    }
    if class_i_ip:
        return (
            ngettext(
                "%(class_i)d class I intellectual property right: %(points)d of %(max)d points.",
                "%(class_i)d class I intellectual property rights: %(points)d of %(max)d points.",
                class_i_ip,
            )
            % params
        )
    return (
        ngettext(
            "No class I and %(class_ii)d class II intellectual property right: "
            "%(points)d of %(max)d points.",
            "No class I and %(class_ii)d class II intellectual property rights: "
            "%(points)d of %(max)d points.",
            class_ii_ip,
        )
        % params
    )


def _outcome_reasons(
    *,
    gates_passed: bool,
    score: int,
    staff_points: int,
    has_valid_hte_certificate: bool,
    route: str | None,
    rules: TsmeRules,
) -> list[str]:
    params = {"score": score, "pass_score": rules.pass_score}
    if not gates_passed:
        reasons = [
            gettext("The size limits are not met, so the firm does not qualify whatever its score.")
        ]
        if has_valid_hte_certificate:
            reasons.append(
                gettext(
                    "A high-tech enterprise certificate qualifies a firm directly only within "
                    "the size limits."
                )
            )
        return reasons
    if route == ROUTE_DIRECT:
        return [
            gettext(
                "The valid high-tech enterprise certificate qualifies the firm directly "
                "(score %(score)d; the pass mark is %(pass_score)d)."
            )
            % params
        ]
    if route == ROUTE_SCORE:
        return [
            gettext(
                "Score %(score)d reaches the pass mark of %(pass_score)d with a non-zero "
                "S&T staff score."
            )
            % params
        ]
    reasons = []
    if score < rules.pass_score:
        reasons.append(
            gettext("Score %(score)d is below the pass mark of %(pass_score)d.") % params
        )
    if staff_points == 0:
        reasons.append(
            gettext("An S&T staff score of 0 fails the assessment whatever the total score.")
        )
    return reasons


def _yuan(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return f"¥{int(amount):,}"
    return f"¥{amount:,.2f}"


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
