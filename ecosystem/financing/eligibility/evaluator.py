"""Is an enterprise eligible for a product version, why, for how much, and what would help.

A pure function of ``EnterpriseFacts`` and a product version (any object with the
version's attributes). ``matcher.py`` compiles the same rules into one database query;
a property test keeps the two in agreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from ecosystem.enterprises import stage as stages
from ecosystem.enterprises.lifecycle import LifecycleStage
from ecosystem.financing.eligibility.criteria import (
    FIGURE_KEYS,
    QUALIFICATION_KEYS,
    RULES,
    uses_figures,
    yuan,
)
from ecosystem.financing.eligibility.facts import (
    LIMIT_ROUNDING,
    EnterpriseFacts,
    Figures,
    FiguresSource,
    least_limit,
    score_of,
)

ADVICE_MAX_FAILURES = 2


class Basis:
    """Where a criterion's fact comes from (``Criterion.basis``)."""

    #: Yearly figures a zone verified (``Evaluation.figures_source`` says who and when).
    VERIFIED_FIGURES = "verified_figures"
    #: Yearly figures the enterprise declared, not yet verified: the match is indicative.
    DECLARED_FIGURES = "declared_figures"
    #: Qualifications verified by the zone or from an official list.
    QUALIFICATIONS = "qualifications"
    #: The enterprise's registration (zone, industry, founding date) or its chain links.
    PROFILE = "profile"


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    required: str
    actual: str
    passed: bool
    pending_verification: bool = False
    basis: str = Basis.PROFILE

    @property
    def declared(self) -> bool:
        return self.basis == Basis.DECLARED_FIGURES


@dataclass(frozen=True)
class Evaluation:
    eligible: bool
    criteria: list[Criterion]
    score: int
    limit: Decimal | None
    calculation: str
    advice: list[str] = field(default_factory=list)
    #: The match rests on figures the enterprise declared and no zone verified yet.
    figures_declared: bool = False
    figures_source: FiguresSource | None = None

    @property
    def failed(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.passed]

    @property
    def would_match_once_verified(self) -> bool:
        return not self.eligible and all(c.passed or c.pending_verification for c in self.criteria)


def stage_of(figures: Figures | None, founded_on, on: date) -> LifecycleStage:
    """The stage the matcher uses: ``enterprises.stage`` on the verified basis (``figures``
    are the facts' verified year, or the pending one for advice)."""
    return stages.stage_of(
        _Founded(founded_on), basis=stages.Basis.VERIFIED, on=on, figures=figures
    ).stage


class _Founded:
    """What ``stage_of`` reads of an enterprise when the caller has only its facts."""

    pk = None

    def __init__(self, founded_on):
        self.founded_on = founded_on


def indicative_limit(version, figures: Figures | None, programs: int) -> tuple[Decimal | None, str]:
    """The limit with its calculation, rounded down to ¥10,000; None without the data."""
    basis, factor = version.limit_basis, Decimal(version.limit_factor)
    if basis == "fixed":
        base, text = factor, _("fixed %(amount)s") % {"amount": yuan(factor)}
    elif figures is None:
        return None, _("needs yearly figures")
    elif basis == "rd_multiple":
        base = figures.rd_expense * factor
        text = _("R&D expense %(rd)s × %(factor)s") % {
            "rd": yuan(figures.rd_expense),
            "factor": factor.normalize(),
        }
    else:
        base = figures.revenue * factor
        text = _("revenue %(revenue)s × %(factor)s") % {
            "revenue": yuan(figures.revenue),
            "factor": factor.normalize(),
        }
    uplift = Decimal(version.uplift_per_qualification or 0) * programs
    amount = base + uplift
    if uplift:
        text += _(" + %(n)d verified qualifications × %(each)s") % {
            "n": programs,
            "each": yuan(Decimal(version.uplift_per_qualification)),
        }
    if version.limit_floor is not None and amount < version.limit_floor:
        amount = Decimal(version.limit_floor)
        text += _(", raised to the floor %(floor)s") % {"floor": yuan(amount)}
    cap = Decimal(version.amount_max)
    if version.limit_cap is not None:
        cap = min(cap, Decimal(version.limit_cap))
    if amount > cap:
        amount = cap
        text += _(", capped at %(cap)s") % {"cap": yuan(cap)}
    rounded = (amount / LIMIT_ROUNDING).to_integral_value(rounding=ROUND_FLOOR) * LIMIT_ROUNDING
    return rounded.quantize(Decimal("0.01")), text + _(" = %(limit)s (rounded down to ¥10,000)") % {
        "limit": yuan(rounded)
    }


def evaluate(facts: EnterpriseFacts, version, *, on: date) -> Evaluation:
    v, p = facts.verified, facts.pending
    criteria: list[Criterion] = []
    figures_basis = Basis.DECLARED_FIGURES if facts.figures_declared else Basis.VERIFIED_FIGURES
    fixed = version.limit_basis == "fixed"

    def basis_of(key: str) -> str:
        if key in QUALIFICATION_KEYS:
            return Basis.QUALIFICATIONS
        if key in FIGURE_KEYS and not (key == "limit" and fixed):
            return figures_basis
        return Basis.PROFILE

    def check(key, label, required, actual, passed, pending_passes=False):
        criteria.append(
            Criterion(
                key,
                label,
                required,
                actual,
                passed,
                pending_verification=not passed and pending_passes,
                basis=basis_of(key),
            )
        )

    for rule in RULES:
        if rule.applies(version):
            rule.evaluate(version, facts, on, check)
    programs = len(facts.verified_programs)
    limit, calculation = indicative_limit(version, v, programs)
    # Figures under review replace the verified ones; without any, the verified figures
    # stand, and qualifications under review may still lift the limit over the minimum.
    pending_limit, _calc = indicative_limit(
        version, p or v, programs + len(facts.pending_programs - facts.verified_programs)
    )
    least = least_limit(version)
    check(
        "limit",
        _("indicative limit within the product's range"),
        f"≥ {yuan(least)}",
        yuan(limit),
        limit is not None and limit >= least,
        pending_limit is not None and pending_limit >= least,
    )
    eligible = all(c.passed for c in criteria)
    failed = [c for c in criteria if not c.passed]
    advice = []
    if 0 < len(failed) <= ADVICE_MAX_FAILURES:
        for c in failed:
            if c.pending_verification:
                advice.append(
                    _("%(label)s: would pass once your data under review is verified.")
                    % {"label": c.label}
                )
            else:
                advice.append(
                    _("%(label)s: needs %(required)s (now %(actual)s).")
                    % {"label": c.label, "required": c.required, "actual": c.actual}
                )
    return Evaluation(
        eligible=eligible,
        criteria=criteria,
        score=score_of(verified_programs=programs, class_i_ip=v.class_i_ip if v else None),
        limit=limit if eligible else limit,
        calculation=calculation,
        advice=advice,
        figures_declared=facts.figures_declared and uses_figures(version),
        figures_source=facts.figures_source,
    )
