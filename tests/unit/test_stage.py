"""One stage rule on two named bases: the Python rule (``stage_of``) and its SQL builder
(``stage_sql``) agree on generated firms; the declared and verified bases read the years
they say."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from ecosystem.enterprises.lifecycle import LIFECYCLE_THRESHOLDS as T
from ecosystem.enterprises.models import FinancialYear
from ecosystem.enterprises.stage import Basis, age_cutoff, stage_of, stage_sql, stage_until
from tests.factories import EnterpriseFactory

ON = date(2026, 12, 5)


class _Firm:
    pk = None

    def __init__(self, founded_on):
        self.founded_on = founded_on


class _Year:
    def __init__(self, revenue, employees):
        self.revenue, self.employees = revenue, employees


def _founding_dates():
    """Dates around every threshold of age, and anything from 1990 to after ``ON``."""
    edges = [
        age_cutoff(T.growth_min_age_years, ON),
        age_cutoff(T.maturity_min_age_years, ON),
        ON,
    ]
    near = st.sampled_from(edges).flatmap(
        lambda d: st.integers(-2, 2).map(lambda n: d + timedelta(days=n))
    )
    return st.none() | near | st.dates(date(1990, 1, 1), ON + timedelta(days=30))


def _revenues():
    edges = [T.growth_min_revenue, T.maturity_min_revenue]
    near = st.sampled_from(edges).flatmap(
        lambda v: st.sampled_from([v - Decimal("0.01"), v, v + Decimal("0.01")])
    )
    return st.none() | near | st.decimals(0, 10**10, places=2, allow_nan=False)


def _employees():
    edges = [T.growth_min_employees, T.maturity_min_employees]
    return (
        st.none()
        | st.sampled_from([e + d for e in edges for d in (-1, 0, 1)])
        | st.integers(0, 5000)
    )


class StageAgreement(TestCase):
    @settings(max_examples=300, deadline=None)
    @given(founded=_founding_dates(), revenue=_revenues(), employees=_employees())
    def test_python_rule_and_sql_builder_agree(self, founded, revenue, employees):
        expected = stage_of(
            _Firm(founded), basis=Basis.DECLARED, on=ON, figures=_Year(revenue, employees)
        ).stage
        sql, params = stage_sql(on=ON, founded_on="f", revenue="r", employees="e")
        # PostgreSQL needs the literal typed as a date; SQLite keeps dates as ISO text, and
        # its CAST AS DATE would turn the text into the number 2023.
        date = "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {sql} FROM (SELECT {date} AS f, CAST(%s AS NUMERIC) AS r, "
                "CAST(%s AS INTEGER) AS e) t",
                [*params, founded, revenue, employees],
            )
            got = cursor.fetchone()[0]
        assert got == expected.value


@settings(max_examples=60, deadline=None)
@given(founded=_founding_dates(), revenue=_revenues(), employees=_employees())
def test_stage_until_is_the_first_day_the_stage_changes(founded, revenue, employees):
    """Day by day over the next nine years (past every age threshold): the stage stays
    what it is on ``ON`` until ``stage_until`` and differs on that day; None: never."""

    def stage(day):
        return stage_of(
            _Firm(founded), basis=Basis.DECLARED, on=day, figures=_Year(revenue, employees)
        ).stage

    now, first = stage(ON), None
    for n in range(1, 9 * 366 + 31):
        if stage(ON + timedelta(days=n)) != now:
            first = ON + timedelta(days=n)
            break
    assert stage_until(founded_on=founded, on=ON, revenue=revenue, employees=employees) == first


def _year(firm, year, revenue, employees, status):
    return FinancialYear.objects.create(
        enterprise=firm,
        year=year,
        revenue=Decimal(revenue),
        total_costs=Decimal("1"),
        total_assets=Decimal("1"),
        rd_expense=Decimal("1"),
        net_profit=Decimal("0"),
        employees=employees,
        rd_staff=1,
        verification_status=status,
    )


@pytest.mark.django_db
def test_the_bases_read_the_declared_or_the_verified_year():
    firm = EnterpriseFactory(founded_on=date(2010, 1, 1))
    _year(firm, 2024, "5000000", 20, "verified")
    _year(firm, 2025, "200000000", 400, "unverified")
    assert stage_of(firm, basis=Basis.DECLARED, on=ON).stage == "maturity"
    assert stage_of(firm, basis=Basis.VERIFIED, on=ON).stage == "startup"


def test_every_stage_is_computed_through_stage_of():
    """``derive_stage`` (the bare rule) is called only by ``stage_of``; the SQL CASE of the
    rule is built only by ``stage_sql``."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "ecosystem"
    callers = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.py")
        if "derive_stage(" in p.read_text() or "THEN 'maturity'" in p.read_text()
    )
    assert callers == ["enterprises/lifecycle.py", "enterprises/stage.py"]
