"""Lifecycle stage (start-up, growth, maturity) derived from age, revenue and headcount.

The rule, with every threshold held in :data:`LIFECYCLE_THRESHOLDS`:

* **maturity** — founded at least 8 years ago, and revenue at least ¥100,000,000 or at
  least 300 employees (the *maturity size test*);
* **growth** — founded at least 3 years ago, and revenue at least ¥10,000,000 or at
  least 50 employees; or the maturity size test holds but the firm is younger than 8;
* **start-up** — everything else, including a profile with missing data.

Every threshold is inclusive. The result carries translated sentences that explain
the stage to the firm. Pure code: no models, no database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LifecycleThresholds:
    """Inclusive lower bounds for each stage; revenue is yearly, in yuan."""

    growth_min_age_years: int = 3
    growth_min_revenue: Decimal = Decimal("10000000")
    growth_min_employees: int = 50
    maturity_min_age_years: int = 8
    maturity_min_revenue: Decimal = Decimal("100000000")
    maturity_min_employees: int = 300


LIFECYCLE_THRESHOLDS = LifecycleThresholds()


class LifecycleStage(enum.StrEnum):
    STARTUP = "startup"
    GROWTH = "growth"
    MATURITY = "maturity"

    @property
    def label(self):
        return _STAGE_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        """``(value, label)`` pairs for form and model fields."""
        return [(stage.value, stage.label) for stage in cls]


_STAGE_LABELS = {
    LifecycleStage.STARTUP: _("Start-up"),
    LifecycleStage.GROWTH: _("Growth"),
    LifecycleStage.MATURITY: _("Maturity"),
}


@dataclass(frozen=True)
class StageResult:
    stage: LifecycleStage
    reasons: list[str]
    age_years: int | None


def anniversary(founded_on: date, year: int) -> date:
    """The founding date's anniversary in ``year``.

    A firm founded on 29 February has its anniversary on 28 February in common
    years: the last day of the month stands in for a missing corresponding day
    (Civil Code of the PRC, art. 203).
    """
    try:
        return founded_on.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def age_in_years(founded_on: date, on: date) -> int:
    """Whole years completed between ``founded_on`` and ``on``; a year completes on the
    anniversary itself."""
    years = on.year - founded_on.year
    if on < anniversary(founded_on, on.year):
        years -= 1
    return years


def derive_stage(
    *,
    founded_on: date | None,
    on: date,
    revenue: Decimal | None,
    employees: int | None,
    thresholds: LifecycleThresholds = LIFECYCLE_THRESHOLDS,
) -> StageResult:
    """Derive the lifecycle stage on the date ``on`` with the reasons for it.

    ``revenue`` is the latest yearly revenue in yuan (``Decimal``; a float raises
    ``TypeError``). When any input is missing the stage is start-up and the reasons
    name what is missing.
    """
    if isinstance(revenue, float):
        raise TypeError("revenue must be a Decimal, not a float")
    if revenue is not None:
        revenue = Decimal(revenue)
    if founded_on is not None and founded_on > on:
        return StageResult(
            stage=LifecycleStage.STARTUP,
            reasons=[
                gettext("The founding date %(founded)s is later than %(on)s; please check it.")
                % {"founded": founded_on.isoformat(), "on": on.isoformat()}
            ],
            age_years=None,
        )
    age = age_in_years(founded_on, on) if founded_on is not None else None
    missing = _missing_data(founded_on=founded_on, revenue=revenue, employees=employees)
    if missing:
        return StageResult(
            stage=LifecycleStage.STARTUP,
            reasons=[gettext("Shown as start-up until the profile is complete."), *missing],
            age_years=age,
        )

    t = thresholds
    old_enough_for_growth = age >= t.growth_min_age_years
    old_enough_for_maturity = age >= t.maturity_min_age_years
    big_enough_for_growth = revenue >= t.growth_min_revenue or employees >= t.growth_min_employees
    big_enough_for_maturity = (
        revenue >= t.maturity_min_revenue or employees >= t.maturity_min_employees
    )

    if old_enough_for_maturity and big_enough_for_maturity:
        stage = LifecycleStage.MATURITY
        reasons = [
            _age_reason(age, LifecycleStage.MATURITY, t),
            *_size_met_reasons(revenue, employees, LifecycleStage.MATURITY, t),
        ]
    elif big_enough_for_maturity:
        stage = LifecycleStage.GROWTH
        reasons = [
            *_size_met_reasons(revenue, employees, LifecycleStage.MATURITY, t),
            _age_reason(age, LifecycleStage.MATURITY, t),
        ]
    elif old_enough_for_growth and big_enough_for_growth:
        stage = LifecycleStage.GROWTH
        reasons = [
            _age_reason(age, LifecycleStage.GROWTH, t),
            *_size_met_reasons(revenue, employees, LifecycleStage.GROWTH, t),
        ]
        if not old_enough_for_maturity:
            reasons.append(_age_reason(age, LifecycleStage.MATURITY, t))
        reasons.append(_size_short_reason(revenue, employees, LifecycleStage.MATURITY, t))
    else:
        stage = LifecycleStage.STARTUP
        reasons = []
        if not old_enough_for_growth:
            reasons.append(_age_reason(age, LifecycleStage.GROWTH, t))
        if not big_enough_for_growth:
            reasons.append(_size_short_reason(revenue, employees, LifecycleStage.GROWTH, t))
    return StageResult(stage=stage, reasons=reasons, age_years=age)


def _missing_data(*, founded_on, revenue, employees) -> list[str]:
    missing = []
    if founded_on is None:
        missing.append(gettext("The founding date is missing."))
    if revenue is None:
        missing.append(gettext("The yearly revenue is missing."))
    if employees is None:
        missing.append(gettext("The number of employees is missing."))
    return missing


def _age_reason(age: int, stage: LifecycleStage, t: LifecycleThresholds) -> str:
    if stage is LifecycleStage.MATURITY:
        minimum = t.maturity_min_age_years
        template = ngettext(
            "Founded %(age)d year ago (maturity needs at least %(minimum)d).",
            "Founded %(age)d years ago (maturity needs at least %(minimum)d).",
            age,
        )
    else:
        minimum = t.growth_min_age_years
        template = ngettext(
            "Founded %(age)d year ago (growth needs at least %(minimum)d).",
            "Founded %(age)d years ago (growth needs at least %(minimum)d).",
            age,
        )
    return template % {"age": age, "minimum": minimum}


def _size_met_reasons(
    revenue: Decimal, employees: int, stage: LifecycleStage, t: LifecycleThresholds
) -> list[str]:
    """One sentence per size test met (revenue, headcount or both) for ``stage``."""
    if stage is LifecycleStage.MATURITY:
        min_revenue, min_employees = t.maturity_min_revenue, t.maturity_min_employees
        revenue_template = gettext(
            "Revenue of %(revenue)s reaches the maturity threshold of %(threshold)s."
        )
        employees_template = gettext(
            "Headcount of %(employees)d reaches the maturity threshold of %(threshold)d."
        )
    else:
        min_revenue, min_employees = t.growth_min_revenue, t.growth_min_employees
        revenue_template = gettext(
            "Revenue of %(revenue)s reaches the growth threshold of %(threshold)s."
        )
        employees_template = gettext(
            "Headcount of %(employees)d reaches the growth threshold of %(threshold)d."
        )
    reasons = []
    if revenue >= min_revenue:
        reasons.append(
            revenue_template
            % {"revenue": format_yuan(revenue), "threshold": format_yuan(min_revenue)}
        )
    if employees >= min_employees:
        reasons.append(employees_template % {"employees": employees, "threshold": min_employees})
    return reasons


def _size_short_reason(
    revenue: Decimal, employees: int, stage: LifecycleStage, t: LifecycleThresholds
) -> str:
    if stage is LifecycleStage.MATURITY:
        min_revenue, min_employees = t.maturity_min_revenue, t.maturity_min_employees
        template = gettext(
            "Below the maturity size thresholds: revenue %(revenue)s (needs %(min_revenue)s) "
            "and headcount %(employees)d (needs %(min_employees)d)."
        )
    else:
        min_revenue, min_employees = t.growth_min_revenue, t.growth_min_employees
        template = gettext(
            "Below the growth size thresholds: revenue %(revenue)s (needs %(min_revenue)s) "
            "and headcount %(employees)d (needs %(min_employees)d)."
        )
    return template % {
        "revenue": format_yuan(revenue),
        "min_revenue": format_yuan(min_revenue),
        "employees": employees,
        "min_employees": min_employees,
    }


def format_yuan(amount: Decimal) -> str:
    """``¥100,000,000`` for whole yuan, ``¥9,999,999.50`` otherwise."""
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"¥{int(amount):,}"
    return f"¥{amount:,.2f}"
