"""What stage is this firm in? One answer, on a named basis.

The lifecycle rule itself (thresholds and reasons) is ``lifecycle.derive_stage``. This
module says which figures it is applied to, in Python and in SQL:

- ``Basis.DECLARED``: the latest yearly figures the firm entered (the firm's own pages,
  the zone's review and dashboards, the ecosystem view);
- ``Basis.VERIFIED``: the latest year a zone official verified (matching, and what a bank
  is shown as the firm's stage).

``stage_of`` is the Python rule; ``stage_sql`` builds the same rule as a SQL ``CASE``
over columns of a query (the matcher's facts table), so the two cannot drift
(``tests/unit/test_stage.py`` holds them equal on generated firms).
"""

from __future__ import annotations

import enum
from datetime import date, timedelta

from django.db.models import CharField, F, Func, Max, OuterRef, Q, Subquery
from django.utils import timezone

from ecosystem.enterprises.lifecycle import (
    LIFECYCLE_THRESHOLDS,
    LifecycleThresholds,
    StageResult,
    age_in_years,
    anniversary,
    derive_stage,
)


class Basis(enum.StrEnum):
    DECLARED = "declared"
    VERIFIED = "verified"


_LOOK_UP = object()


def latest_years(enterprise_ids, *, basis: Basis) -> dict:
    """The latest financial year of each enterprise on ``basis`` (one query)."""
    from ecosystem.enterprises.models import FinancialYear

    years = FinancialYear.objects.filter(enterprise_id__in=list(enterprise_ids))
    if basis == Basis.VERIFIED:
        years = years.filter(verification_status="verified")
    latest: dict = {}
    for year in years.order_by("enterprise_id", "-year"):
        latest.setdefault(year.enterprise_id, year)
    return latest


def stage_of(enterprise, *, basis: Basis, on: date | None = None, figures=_LOOK_UP) -> StageResult:
    """The stage of ``enterprise`` (anything with ``founded_on`` and ``pk``) on ``on``.

    ``figures`` (anything with ``revenue`` and ``employees``, or None for no figures) is
    the year the caller already read on ``basis``; without it the year is looked up."""
    on = on or timezone.localdate()
    if figures is _LOOK_UP:
        figures = latest_years([enterprise.pk], basis=basis).get(enterprise.pk)
    return derive_stage(
        founded_on=enterprise.founded_on,
        on=on,
        revenue=getattr(figures, "revenue", None),
        employees=getattr(figures, "employees", None),
    )


def stage_until(
    *, founded_on: date | None, on: date, revenue, employees, thresholds=LIFECYCLE_THRESHOLDS
) -> date | None:
    """The first day after ``on`` on which ``derive_stage`` of the same figures gives
    another stage (None: never). Only the date moves the stage between figure changes,
    and only on three days: the founding date (a date not yet reached is a start-up), the
    growth and the maturity ages' anniversaries; between them the stage is constant."""
    if founded_on is None or revenue is None or employees is None:
        return None
    figures = {"founded_on": founded_on, "revenue": revenue, "employees": employees}
    stage = derive_stage(on=on, thresholds=thresholds, **figures).stage
    days = {founded_on}
    for years in (thresholds.growth_min_age_years, thresholds.maturity_min_age_years):
        days.add(anniversary(founded_on, founded_on.year + years))
    for day in sorted(d for d in days if d > on):
        if derive_stage(on=day, thresholds=thresholds, **figures).stage != stage:
            return day
    return None


def age_cutoff(years: int, on: date) -> date:
    """The latest founding date that is at least ``years`` old on ``on`` (leap-day safe)."""
    try:
        candidate = on.replace(year=on.year - years)
    except ValueError:  # 29 February in a non-leap target year
        candidate = on.replace(year=on.year - years, day=28)
    while age_in_years(candidate + timedelta(days=1), on) >= years:
        candidate += timedelta(days=1)
    while age_in_years(candidate, on) < years:
        candidate -= timedelta(days=1)
    return candidate


#: A decimal parameter. SQLite would otherwise compare numbers with the text Django binds.
_N = "CAST(%s AS NUMERIC)"


def stage_sql(
    *,
    on: date,
    founded_on: str = "founded_on",
    revenue: str = "v_revenue",
    employees: str = "v_employees",
    thresholds: LifecycleThresholds = LIFECYCLE_THRESHOLDS,
) -> tuple[str, list]:
    """``derive_stage``'s stage as a SQL ``CASE`` over the named columns, with its params."""
    t = thresholds
    sql = (
        f"CASE WHEN {founded_on} IS NULL OR {founded_on} > %s OR {revenue} IS NULL "
        f"OR {employees} IS NULL THEN 'startup' "
        f"WHEN {founded_on} <= %s AND ({revenue} >= {_N} OR {employees} >= %s) THEN 'maturity' "
        f"WHEN {revenue} >= {_N} OR {employees} >= %s THEN 'growth' "
        f"WHEN {founded_on} <= %s AND ({revenue} >= {_N} OR {employees} >= %s) THEN 'growth' "
        "ELSE 'startup' END"
    )
    params = [
        on,
        age_cutoff(t.maturity_min_age_years, on),
        t.maturity_min_revenue,
        t.maturity_min_employees,
        t.maturity_min_revenue,
        t.maturity_min_employees,
        age_cutoff(t.growth_min_age_years, on),
        t.growth_min_revenue,
        t.growth_min_employees,
    ]
    return sql, params


class StageCase(Func):
    """``stage_sql``'s CASE over three compiled expressions (founding date, revenue,
    employees): the lifecycle rule kept in one place, applied inside a query."""

    output_field = CharField()

    def __init__(self, founded_on, revenue, employees, *, on: date):
        super().__init__(founded_on, revenue, employees)
        self.on = on

    def as_sql(self, compiler, connection, **extra_context):
        columns = []
        for expression in self.get_source_expressions():
            sql, params = compiler.compile(expression)
            if params:  # the CASE repeats each column: a parameter would be bound once only
                raise ValueError("StageCase takes plain columns")
            columns.append(sql)
        founded_on, revenue, employees = columns
        return stage_sql(on=self.on, founded_on=founded_on, revenue=revenue, employees=employees)


def with_declared_stage(queryset, *, on: date, path: str = "", name: str = "stage"):
    """``queryset`` joined to its enterprise's latest declared year (none: no figures)
    and annotated ``name`` with the enterprise's lifecycle stage on ``on`` (the declared
    basis): one join and one index lookup of the latest year per row. ``path`` leads from
    the rows to the enterprise (``""`` for enterprises, ``"enterprise__"`` for a loan)."""
    from ecosystem.enterprises.models import FinancialYear

    years = f"{path}financial_years"
    ref = f"{path[:-2]}_id" if path else "pk"
    latest = (
        FinancialYear.objects.filter(enterprise_id=OuterRef(ref))
        .values("enterprise_id")
        .annotate(latest=Max("year"))
        .values("latest")
    )
    return queryset.filter(
        Q(**{f"{years}__isnull": True}) | Q(**{f"{years}__year": Subquery(latest)})
    ).annotate(
        **{
            name: StageCase(
                F(f"{path}founded_on"),
                F(f"{years}__revenue"),
                F(f"{years}__employees"),
                on=on,
            )
        }
    )
