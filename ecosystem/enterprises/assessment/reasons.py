"""The reasons an assessment gives, one sentence a gate, a criterion and the outcome."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext, ngettext

from ecosystem.enterprises.assessment.rules import ROUTE_DIRECT, ROUTE_SCORE, TsmeRules

if TYPE_CHECKING:
    from ecosystem.enterprises.assessment.scoring import GateResult


def gate_reasons(gates: list[GateResult]) -> list[str]:
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


def staff_reason(share: Decimal | None, points: int, rules: TsmeRules) -> str:
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


def rd_reason(
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


def results_reason(class_i_ip: int, class_ii_ip: int, points: int, rules: TsmeRules) -> str:
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


def outcome_reasons(
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
