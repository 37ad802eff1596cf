"""Working days between dates, for review targets and ageing: Monday to Friday, minus the
public holidays and plus the weekend days worked in exchange (调休) that the official
calendar (``CalendarDay``) records.

Years without any recorded day (not entered yet) count Monday to Friday; the first count
that reaches into such a year logs a warning, once per process and year."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.core.cache import cache

logger = logging.getLogger(__name__)

CACHE_KEY = "core:calendar-overrides"
CACHE_SECONDS = 3600

#: Years this process has already warned about (see ``_warn_of_uncovered_years``).
_warned_years: set[int] = set()


def calendar_overrides() -> dict[date, bool]:
    """{day: is_working} for every recorded calendar day (cached; one query an hour)."""
    from ecosystem.core.models import CalendarDay

    overrides = cache.get(CACHE_KEY)
    if overrides is None:
        overrides = dict(CalendarDay.objects.values_list("day", "is_working"))
        cache.set(CACHE_KEY, overrides, CACHE_SECONDS)
    return overrides


def calendar_years() -> set[int]:
    """The years with at least one recorded calendar day (entered by a platform admin)."""
    return {day.year for day in calendar_overrides()}


def forget_calendar() -> None:
    """Drop the cached calendar after it was edited."""
    cache.delete(CACHE_KEY)


def _weekdays_between(start: date, end: date) -> int:
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def working_days_between(start: date, end: date, overrides: dict | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    count = _weekdays_between(start, end)
    if overrides is None:
        overrides = calendar_overrides()
        _warn_of_uncovered_years(start, end, overrides)
    for day, is_working in overrides.items():
        if start < day <= end:
            weekday = day.weekday() < 5
            if weekday and not is_working:
                count -= 1
            elif not weekday and is_working:
                count += 1
    return count


def _warn_of_uncovered_years(start: date, end: date, overrides: dict[date, bool]) -> None:
    """Log once per process and year when a count with the official calendar reaches into a
    year that has no recorded day: its holidays are not entered and the count is only
    Monday to Friday there."""
    years = [
        year
        for year in range((start + timedelta(days=1)).year, end.year + 1)
        if year not in _warned_years
    ]
    if not years:
        return
    covered = {day.year for day in overrides}
    for year in years:
        if year not in covered:
            _warned_years.add(year)
            logger.warning(
                "The official calendar has no entries for %s: working days in it count "
                "Monday to Friday only until its holidays are entered (Admin, Calendar days)",
                year,
            )
