"""Working time: N working days is the same clock time N working days later; N working
hours consume only 09:00–17:30 of working days; holidays and make-up days follow the
official calendar, and a year not entered counts Monday to Friday."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ecosystem.core.models import CalendarDay
from ecosystem.core.workdays import forget_calendar
from ecosystem.core.worktime import (
    add_working_days,
    add_working_hours,
    working_hours_between,
)

pytestmark = pytest.mark.django_db

BJ = ZoneInfo("Asia/Shanghai")


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=BJ)


@pytest.fixture
def national_day():
    """2026-10-01..08 off, and Sunday 2026-10-11 worked in exchange (调休)."""
    CalendarDay.objects.filter(day__range=(date(2026, 9, 28), date(2026, 10, 18))).delete()
    for day in range(1, 9):
        CalendarDay.objects.create(day=date(2026, 10, day), is_working=False, name_zh="国庆节")
    CalendarDay.objects.create(day=date(2026, 10, 11), is_working=True, name_zh="国庆调休上班")
    forget_calendar()
    yield
    forget_calendar()


def test_friday_afternoon_plus_one_working_day_is_monday_same_time():
    assert add_working_days(at(2026, 11, 20, 16, 0), 1) == at(2026, 11, 23, 16, 0)


def test_a_lead_created_on_saturday_runs_from_monday_morning():
    saturday = at(2026, 11, 21, 10, 0)
    assert add_working_days(saturday, 1) == at(2026, 11, 24, 9, 0)
    assert add_working_hours(saturday, 3) == at(2026, 11, 23, 12, 0)


def test_after_hours_counts_from_the_next_working_start():
    assert add_working_days(at(2026, 11, 19, 18, 0), 1) == at(2026, 11, 23, 9, 0)
    assert add_working_hours(at(2026, 11, 19, 7, 30), 2) == at(2026, 11, 19, 11, 0)


def test_working_hours_cross_the_end_of_the_day():
    assert add_working_hours(at(2026, 11, 20, 16, 0), 3) == at(2026, 11, 23, 10, 30)
    # Exactly the rest of the day ends at 17:30, not the next morning.
    assert add_working_hours(at(2026, 11, 20, 16, 0), Decimal("1.5")) == at(2026, 11, 20, 17, 30)


def test_hours_and_days_differ():
    start = at(2026, 11, 17, 10, 0)  # Tuesday
    assert add_working_hours(start, 24) == at(2026, 11, 19, 17, 0)  # 7.5 + 8.5 + 8
    assert add_working_days(start, 3) == at(2026, 11, 20, 10, 0)
    assert add_working_hours(start, Decimal("8.5")) == add_working_days(start, 1)


def test_national_day_and_its_make_up_sunday(national_day):
    start = at(2026, 9, 30, 16, 0)
    assert add_working_days(start, 1) == at(2026, 10, 9, 16, 0)
    assert add_working_days(start, 2) == at(2026, 10, 11, 16, 0)  # the 调休 Sunday
    assert add_working_days(start, 3) == at(2026, 10, 12, 16, 0)
    assert add_working_hours(start, 3) == at(2026, 10, 9, 10, 30)
    assert working_hours_between(start, at(2026, 10, 9, 10, 30)) == Decimal("3.00")


def test_a_year_not_entered_counts_monday_to_friday():
    assert not CalendarDay.objects.filter(day__year=2027).exists()
    # 2027-10-01 is a Friday; nothing entered, so it and the next Monday are working days.
    assert add_working_days(at(2027, 9, 30, 16, 0), 1) == at(2027, 10, 1, 16, 0)
    assert add_working_days(at(2027, 10, 1, 16, 0), 1) == at(2027, 10, 4, 16, 0)


def test_hours_between_count_only_working_time():
    friday = at(2026, 11, 20, 16, 0)
    monday = at(2026, 11, 23, 10, 30)
    assert working_hours_between(friday, monday) == Decimal("3.00")
    assert working_hours_between(monday, friday) == Decimal("-3.00")
    assert working_hours_between(at(2026, 11, 21, 10), at(2026, 11, 22, 20)) == Decimal("0.00")


@pytest.mark.parametrize("hours", [1, 3, 8, 9, 17, 40, 100])
def test_adding_then_measuring_gives_back_the_hours(hours):
    start = at(2026, 12, 30, 15, 45)  # across New Year 2027, not entered
    assert working_hours_between(start, add_working_hours(start, hours)) == Decimal(hours)
