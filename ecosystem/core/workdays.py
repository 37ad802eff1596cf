"""Working days between dates, for review targets and ageing: Monday to Friday, minus the
public holidays and plus the weekend days worked in exchange (调休) that the official
calendar (``CalendarDay``) records."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.cache import cache

CACHE_KEY = "core:calendar-overrides"
CACHE_SECONDS = 3600


def calendar_overrides() -> dict[date, bool]:
    """{day: is_working} for every recorded calendar day (cached; one query an hour)."""
    from ecosystem.core.models import CalendarDay

    overrides = cache.get(CACHE_KEY)
    if overrides is None:
        overrides = dict(CalendarDay.objects.values_list("day", "is_working"))
        cache.set(CACHE_KEY, overrides, CACHE_SECONDS)
    return overrides


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
    overrides = calendar_overrides() if overrides is None else overrides
    for day, is_working in overrides.items():
        if start < day <= end:
            weekday = day.weekday() < 5
            if weekday and not is_working:
                count -= 1
            elif not weekday and is_working:
                count += 1
    return count
