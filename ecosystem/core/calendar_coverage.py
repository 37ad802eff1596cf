"""Which years the official working calendar (``CalendarDay``) covers, and whether a
platform admin still has to enter a year: the current one at any time, the next one from
1 November (the State Council publishes next year's holidays around then). Nothing here
guesses holiday dates; it only says what is missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.core.workdays import calendar_years

#: From this month on, next year's calendar is due.
NEXT_YEAR_DUE_MONTH = 11


@dataclass(frozen=True)
class CalendarCoverage:
    today: date
    #: Years with at least one recorded day, ascending.
    years: tuple[int, ...]
    current_year_missing: bool
    next_year_missing: bool
    #: Next year is missing and it is November or December.
    next_year_due: bool

    @property
    def missing_year(self) -> int | None:
        """The year a platform admin should enter now (the current one first), or None."""
        if self.current_year_missing:
            return self.today.year
        if self.next_year_due:
            return self.today.year + 1
        return None


def calendar_coverage(today: date | None = None) -> CalendarCoverage:
    """The calendar's coverage as of ``today`` (the local date by default)."""
    today = today or timezone.localdate()
    years = calendar_years()
    next_year_missing = today.year + 1 not in years
    return CalendarCoverage(
        today=today,
        years=tuple(sorted(years)),
        current_year_missing=today.year not in years,
        next_year_missing=next_year_missing,
        next_year_due=next_year_missing and today.month >= NEXT_YEAR_DUE_MONTH,
    )


def calendar_warning(coverage: CalendarCoverage) -> str | None:
    """The plain-words warning pages show while a year is missing, or None."""
    year = coverage.missing_year
    if year is None:
        return None
    return _(
        "The official public holidays and make-up working days for %(year)s have not been "
        "entered yet. Until they are, working days after 31 December %(previous)s count "
        "Monday to Friday only."
    ) % {"year": year, "previous": year - 1}


def calendar_editors():
    """Active platform admins who can enter calendar days: admin-site access (``is_staff``)
    and the change permission, which every superuser has."""
    from django.contrib.auth.backends import ModelBackend

    return ModelBackend().with_perm("core.change_calendarday").filter(is_staff=True)
