"""Working time: the clock a bank's promise runs on.

Working days are ``workdays``' (Monday to Friday, minus the official holidays, plus the
weekend days worked in exchange; a year not entered counts Monday to Friday). Working
hours are ``WORKING_DAY_START`` to ``WORKING_DAY_END`` (settings, "HH:MM", default
09:00–17:30), Beijing time.

The rules, so that every clock reads the same:

- A moment outside working time (before the start, at or after the end, or on a day off)
  counts from the next working start: a lead created on Saturday 10:00 runs as if created
  on Monday 09:00.
- ``add_working_days(start, n)``: the same clock time ``n`` working days later, from the
  moved start (Friday 16:00 + 1 → Monday 16:00; Saturday 10:00 + 1 → Tuesday 09:00).
- ``add_working_hours(start, n)``: only time inside working hours is consumed (Friday
  16:00 + 3 → Monday 10:30); a result may fall exactly on the end of a working day.
- ``working_hours_between(start, end)``: the working hours in between, negative when
  ``end`` is before ``start``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from ecosystem.core.workdays import calendar_overrides

CALENDAR_ZONE = ZoneInfo("Asia/Shanghai")
#: A search for the next working day gives up after this many days (a calendar that
#: records a whole year off is an error, not a reason to loop for ever).
_MAX_DAYS_OFF = 400


def _clock(name: str, default: str) -> time:
    hours, minutes = getattr(settings, name, default).split(":")
    return time(int(hours), int(minutes))


def working_day_bounds() -> tuple[time, time]:
    """(start, end) of a working day, read from the settings at call time."""
    return _clock("WORKING_DAY_START", "09:00"), _clock("WORKING_DAY_END", "17:30")


def working_day_hours() -> Decimal:
    """The length of one working day in hours (8.5 by default)."""
    start, end = working_day_bounds()
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return Decimal(minutes) / 60


def is_working_day(day: date, overrides: dict[date, bool] | None = None) -> bool:
    overrides = calendar_overrides() if overrides is None else overrides
    return overrides.get(day, day.weekday() < 5)


def _next_working_day(day: date, overrides: dict[date, bool]) -> date:
    for _step in range(_MAX_DAYS_OFF):
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            return day
    raise ValueError(f"No working day within a year after {day}")


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=CALENDAR_ZONE)


def _working_start(moment: datetime, overrides: dict[date, bool]) -> datetime:
    """``moment`` in Beijing time if inside working time, else the next working start."""
    local = moment.astimezone(CALENDAR_ZONE)
    opens, closes = working_day_bounds()
    day = local.date()
    if is_working_day(day, overrides):
        if local.time() < opens:
            return _at(day, opens)
        if local.time() < closes:
            return local
    return _at(_next_working_day(day, overrides), opens)


def add_working_days(start: datetime, days: int) -> datetime:
    """The same clock time ``days`` working days after ``start`` (moved to working time
    first)."""
    overrides = calendar_overrides()
    moment = _working_start(start, overrides)
    day = moment.date()
    for _step in range(days):
        day = _next_working_day(day, overrides)
    return _at(day, moment.timetz().replace(tzinfo=None))


def add_working_hours(start: datetime, hours: int | Decimal) -> datetime:
    """``start`` plus ``hours`` of working time: nights, weekends and holidays do not run."""
    overrides = calendar_overrides()
    _opens, closes = working_day_bounds()
    moment = _working_start(start, overrides)
    left = timedelta(hours=float(hours))
    while True:
        available = _at(moment.date(), closes) - moment
        if left <= available:
            return moment + left
        left -= available
        moment = _working_start(_at(moment.date(), closes), overrides)


def working_hours_between(
    start: datetime, end: datetime, overrides: dict[date, bool] | None = None
) -> Decimal:
    """Working hours from ``start`` to ``end`` (two decimals; negative if end < start).
    ``overrides``: the calendar when the caller holds it (a page of 50 clocks reads it
    once, not once per row from the cache).

    The first and last days are clipped to working hours; every working day in between
    counts a whole working day, counted by arithmetic (weekdays, then the calendar's
    exceptions in the span), not day by day: a lead a year overdue cost 365 steps per
    clock, 50 clocks a page (docs/feed-floors.md)."""
    if end < start:
        return -working_hours_between(end, start, overrides)
    overrides = calendar_overrides() if overrides is None else overrides
    opens, closes = working_day_bounds()
    first = start.astimezone(CALENDAR_ZONE)
    last = end.astimezone(CALENDAR_ZONE)
    seconds = _clipped_seconds(first.date(), first, last, opens, closes, overrides)
    if last.date() > first.date():
        inner = _working_days_inside(first.date(), last.date(), overrides)
        # Wall-clock hours of a working day: aware datetimes of one zone subtract as the
        # day-by-day sum did (by their wall clocks).
        day_seconds = (_at(first.date(), closes) - _at(first.date(), opens)).total_seconds()
        if inner and day_seconds > 0:
            seconds += inner * day_seconds
        seconds += _clipped_seconds(last.date(), first, last, opens, closes, overrides)
    return (Decimal(str(seconds)) / 3600).quantize(Decimal("0.01"))


def _clipped_seconds(day, first, last, opens, closes, overrides) -> float:
    """Seconds of ``day``'s working hours between ``first`` and ``last``."""
    if not is_working_day(day, overrides):
        return 0.0
    lower = max(first, _at(day, opens))
    upper = min(last, _at(day, closes))
    return (upper - lower).total_seconds() if upper > lower else 0.0


def _working_days_inside(first: date, last: date, overrides: dict[date, bool]) -> int:
    """Working days strictly between ``first`` and ``last``: Monday to Friday, then each
    recorded day of the span as the calendar has it."""
    low, high = first + timedelta(days=1), last  # [low, high)
    days = (high - low).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    count = weeks * 5 + sum(1 for k in range(rest) if (low.weekday() + k) % 7 < 5)
    for day, working in overrides.items():
        if low <= day < high and working != (day.weekday() < 5):
            count += 1 if working else -1
    return count
