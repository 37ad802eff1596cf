"""``working_hours_between`` counts the whole working days of a span by arithmetic; it
must give exactly what counting day by day gave, for any span and calendar."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ecosystem.core.worktime import (
    CALENDAR_ZONE,
    _at,
    is_working_day,
    working_day_bounds,
    working_hours_between,
)

UTC = ZoneInfo("UTC")


def day_by_day(start: datetime, end: datetime, overrides: dict[date, bool]) -> Decimal:
    """The former implementation: every day of the span visited."""
    if end < start:
        return -day_by_day(end, start, overrides)
    opens, closes = working_day_bounds()
    first = start.astimezone(CALENDAR_ZONE)
    last = end.astimezone(CALENDAR_ZONE)
    seconds = 0.0
    day = first.date()
    while day <= last.date():
        if is_working_day(day, overrides):
            lower = max(first, _at(day, opens))
            upper = min(last, _at(day, closes))
            if upper > lower:
                seconds += (upper - lower).total_seconds()
        day += timedelta(days=1)
    return (Decimal(str(seconds)) / 3600).quantize(Decimal("0.01"))


def calendar(rng: random.Random, around: date) -> dict[date, bool]:
    """Holidays on weekdays and make-up working days on weekends, as the official calendar
    has them, plus a few entries that only restate the default."""
    days = {}
    for _ in range(rng.randint(0, 40)):
        day = around + timedelta(days=rng.randint(-400, 400))
        days[day] = day.weekday() >= 5 if rng.random() < 0.8 else day.weekday() < 5
    return days


def moment(rng: random.Random, around: date) -> datetime:
    day = around + timedelta(days=rng.randint(-400, 400))
    zone = CALENDAR_ZONE if rng.random() < 0.7 else UTC
    clock = rng.choice(
        [
            (9, 0, 0, 0),
            (17, 30, 0, 0),
            (rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999_999)),
        ]
    )
    return datetime(day.year, day.month, day.day, *clock, tzinfo=zone)


@pytest.mark.parametrize("around", [date(2026, 10, 1), date(1988, 6, 1), date(2024, 2, 28)])
def test_span_equals_the_day_by_day_count(around):
    """Random spans (both directions, same day, a year long, outside working hours, in
    UTC and Beijing time, across Shanghai's summer time of 1986-1991) on random
    calendars."""
    rng = random.Random(around.toordinal())
    for _ in range(3000):
        overrides = calendar(rng, around)
        start, end = moment(rng, around), moment(rng, around)
        if rng.random() < 0.1:
            end = start + timedelta(hours=rng.randint(0, 30), microseconds=rng.randint(0, 10**6))
        assert working_hours_between(start, end, overrides) == day_by_day(start, end, overrides)


def test_span_equals_the_day_by_day_count_with_other_hours(settings):
    settings.WORKING_DAY_START, settings.WORKING_DAY_END = "08:15", "18:45"
    rng = random.Random(7)
    around = date(2026, 1, 1)
    for _ in range(1000):
        overrides = calendar(rng, around)
        start, end = moment(rng, around), moment(rng, around)
        assert working_hours_between(start, end, overrides) == day_by_day(start, end, overrides)


def test_a_year_of_working_days():
    """2026 without any recorded day: 261 weekdays of 8.5 hours."""
    start = datetime(2026, 1, 1, 0, 0, tzinfo=CALENDAR_ZONE)
    end = datetime(2027, 1, 1, 0, 0, tzinfo=CALENDAR_ZONE)
    assert working_hours_between(start, end, {}) == Decimal("2218.50")
    holiday = {date(2026, 10, 1): False, date(2026, 10, 11): True, date(2026, 10, 10): False}
    assert working_hours_between(start, end, holiday) == Decimal("2218.50")
    assert working_hours_between(end, start, {date(2026, 10, 1): False}) == Decimal("-2210.00")
