"""Working days follow the official calendar: Monday to Friday, without public holidays,
with the weekend days worked in exchange (调休)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.admin.sites import AdminSite
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from ecosystem.core.admin import CalendarDayAdmin
from ecosystem.core.calendar_reference import reference_days
from ecosystem.core.models import CalendarDay
from ecosystem.core.workdays import working_days_between

pytestmark = pytest.mark.django_db


def naive(start: date, end: date, overrides: dict) -> int:
    """Day by day: the reference the arithmetic must agree with."""
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        count += overrides.get(day, day.weekday() < 5)
        day += timedelta(days=1)
    return count


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Spring Festival 2026: Feb 15–23 off, Saturday Feb 14 worked.
        (date(2026, 2, 13), date(2026, 2, 27), 5),
        # National Day and Mid-Autumn 2025: Oct 1–8 off, Sunday Sep 28 worked.
        (date(2025, 9, 26), date(2025, 10, 10), 5),
        # An ordinary week.
        (date(2026, 11, 20), date(2026, 11, 27), 5),
        # New Year 2026: Jan 1–2 (Thu, Fri) off, Sunday Jan 4 worked.
        (date(2025, 12, 31), date(2026, 1, 5), 2),
        (date(2026, 3, 1), date(2026, 3, 1), 0),
        (date(2026, 3, 2), date(2026, 3, 1), 0),
    ],
)
def test_official_calendar_is_followed(start, end, expected):
    assert working_days_between(start, end) == expected


def test_without_a_calendar_it_is_monday_to_friday():
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 27), overrides={}) == 10


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 11, 1), max_value=date(2027, 2, 1)),
    length=st.integers(min_value=-3, max_value=500),
)
def test_arithmetic_agrees_with_counting_day_by_day(start, length):
    overrides = {d["day"]: d["is_working"] for d in reference_days()}
    end = start + timedelta(days=length)
    assert working_days_between(start, end, overrides=overrides) == naive(start, end, overrides)
    assert working_days_between(start, end, overrides={}) == naive(start, end, {})


def test_the_reference_calendar_is_loaded_and_consistent():
    days = {d.day: d for d in CalendarDay.objects.all()}
    assert days[date(2026, 10, 1)].is_working is False
    assert days[date(2026, 10, 10)].is_working is True
    # Make-up days fall on weekends; every listed holiday range is a holiday.
    assert all(d.day.weekday() >= 5 for d in days.values() if d.is_working)
    assert len(days) == len(reference_days())


def test_an_admin_edit_applies_at_once():
    start, end = date(2026, 12, 24), date(2026, 12, 28)  # Thu → Mon: Fri 25, Mon 28
    assert working_days_between(start, end) == 2
    admin = CalendarDayAdmin(CalendarDay, AdminSite())
    request = RequestFactory().post("/admin/")
    day = CalendarDay(day=date(2026, 12, 25), is_working=False, name_zh="测试假日")
    admin.save_model(request, day, form=None, change=False)
    assert working_days_between(start, end) == 1
    admin.delete_model(request, day)
    assert working_days_between(start, end) == 2
