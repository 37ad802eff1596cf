"""The official calendar's coverage is visible: which years are entered, a warning on the
admin list and the zone dashboard while a year is due, a weekly reminder to the platform
admins from 1 November, and a log line when a working-day count runs into a year that has
no entries. No holiday dates are invented: 2027 stays empty unless a test adds a day."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ecosystem.core import tasks, workdays
from ecosystem.core.calendar_coverage import calendar_coverage, calendar_warning
from ecosystem.core.models import CalendarDay, Notification
from ecosystem.core.services import CALENDAR_REMINDER_KIND, calendar_reminders_send
from ecosystem.core.workdays import forget_calendar, working_days_between
from tests.factories import PlatformAdminFactory, UserFactory, ZoneOfficialFactory

pytestmark = pytest.mark.django_db

WARNING_2027 = "working days after 31 December 2026 count Monday to Friday only"


class Clock:
    """``timezone.now`` (and so ``localdate`` and ``auto_now_add``) at a chosen local time."""

    def __init__(self):
        self.now = self.at(2026, 11, 2)

    @staticmethod
    def at(year: int, month: int, day: int, hour: int = 8) -> datetime:
        return timezone.make_aware(datetime(year, month, day, hour, 10))

    def set(self, year: int, month: int, day: int, hour: int = 8) -> None:
        self.now = self.at(year, month, day, hour)


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


def enter_a_day_of(year: int) -> None:
    """A placeholder day standing for an entered year (not an official holiday)."""
    CalendarDay.objects.create(day=date(year, 12, 31), is_working=False, name_zh="测试")
    forget_calendar()


def reminders(user=None):
    notices = Notification.objects.filter(kind=CALENDAR_REMINDER_KIND)
    return notices.filter(recipient=user) if user is not None else notices


def english_client(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


# --- the coverage selector ------------------------------------------------------------------


def test_coverage_lists_the_entered_years():
    coverage = calendar_coverage(today=date(2026, 6, 1))
    assert coverage.years == (2025, 2026)
    assert not coverage.current_year_missing
    assert coverage.next_year_missing


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 1, 1), False),
        (date(2026, 10, 31), False),
        (date(2026, 11, 1), True),
        (date(2026, 12, 4), True),
        (date(2026, 12, 31), True),
    ],
)
def test_next_year_is_due_from_the_first_of_november(today, due):
    coverage = calendar_coverage(today=today)
    assert coverage.next_year_due is due
    assert coverage.missing_year == (2027 if due else None)
    with translation.override("en"):
        warning = calendar_warning(coverage)
    if due:
        assert "2027" in warning and WARNING_2027 in warning
        with translation.override("zh-hans"):
            assert "2026 年 12 月 31 日之后的工作日仅按周一至周五计算" in calendar_warning(coverage)
    else:
        assert warning is None


def test_an_entered_next_year_is_not_due():
    enter_a_day_of(2027)
    coverage = calendar_coverage(today=date(2026, 11, 15))
    assert coverage.years == (2025, 2026, 2027)
    assert not coverage.next_year_missing and not coverage.next_year_due
    assert calendar_warning(coverage) is None


def test_a_missing_current_year_is_due_in_any_month():
    coverage = calendar_coverage(today=date(2027, 3, 1))
    assert coverage.current_year_missing
    assert not coverage.next_year_due  # 2028 is not due before November
    assert coverage.missing_year == 2027
    with translation.override("en"):
        assert WARNING_2027 in calendar_warning(coverage)


def test_coverage_defaults_to_the_local_date(clock, settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    clock.now = datetime(2026, 10, 31, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    assert not calendar_coverage().next_year_due
    clock.now = datetime(2026, 10, 31, 16, 30, tzinfo=UTC)  # 1 November, 00:30 in Shanghai
    assert calendar_coverage().today == date(2026, 11, 1)
    assert calendar_coverage().next_year_due


# --- the weekly reminder ---------------------------------------------------------------------


def test_no_reminder_before_november(clock):
    PlatformAdminFactory()
    clock.set(2026, 10, 31)
    assert calendar_reminders_send() == 0
    assert not reminders().exists()


def test_no_reminder_when_next_year_is_entered(clock):
    PlatformAdminFactory()
    enter_a_day_of(2027)
    for day in (1, 8, 15, 30):
        clock.set(2026, 11, day)
        assert calendar_reminders_send() == 0
    assert not reminders().exists()


def test_the_daily_task_reminds_each_admin_once_a_week(clock):
    admin = PlatformAdminFactory(language="en")
    clock.set(2026, 11, 1)
    assert tasks.send_calendar_reminders.delay().get() == 1
    assert tasks.send_calendar_reminders.delay().get() == 0  # same day again: nothing
    for day in range(2, 8):
        clock.set(2026, 11, day)
        assert calendar_reminders_send() == 0
    assert reminders(admin).count() == 1
    clock.set(2026, 11, 8)
    assert calendar_reminders_send() == 1
    assert calendar_reminders_send() == 0
    assert reminders(admin).count() == 2
    notice = reminders(admin).first()
    assert notice.url == reverse("admin:core_calendarday_changelist")
    assert "2027" in notice.title
    assert WARNING_2027 in notice.body


def test_only_admins_who_can_edit_the_calendar_are_reminded(clock):
    admin = PlatformAdminFactory()
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_calendarday"))
    staff_without_permission = UserFactory(is_staff=True)
    inactive_admin = PlatformAdminFactory(is_active=False)
    no_admin_access = UserFactory(is_superuser=True, is_staff=False)  # cannot open the link
    official = ZoneOfficialFactory()
    member = UserFactory()
    clock.set(2026, 11, 1)
    assert calendar_reminders_send() == 2
    assert {n.recipient for n in reminders()} == {admin, editor}
    for user in (staff_without_permission, inactive_admin, no_admin_access, official, member):
        assert not reminders(user).exists()


def test_a_missing_current_year_is_reminded_in_january(clock):
    admin = PlatformAdminFactory(language="en")
    clock.set(2027, 1, 4)
    assert calendar_reminders_send() == 1
    assert "2027" in reminders(admin).get().title


def test_the_reminder_is_in_the_beat_schedule(settings):
    from portal.celery import app

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "ecosystem.core.tasks.send_calendar_reminders" in names
    assert "ecosystem.core.tasks.send_calendar_reminders" in app.tasks


# --- the warnings on the pages ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "enter_2027", "shown"),
    [
        ((2026, 10, 31), False, False),
        ((2026, 11, 2), False, True),
        ((2026, 11, 2), True, False),
    ],
)
def test_admin_calendar_list_warns_only_when_due(clock, today, enter_2027, shown):
    clock.set(*today)
    if enter_2027:
        enter_a_day_of(2027)
    client = english_client(PlatformAdminFactory())
    page = client.get(reverse("admin:core_calendarday_changelist")).content.decode()
    assert ('data-testid="calendar-coverage-warning"' in page) is shown
    assert (WARNING_2027 in page) is shown


@pytest.mark.parametrize(
    ("today", "enter_2027", "shown"),
    [
        ((2026, 10, 31), False, False),
        ((2026, 11, 2), False, True),
        ((2026, 11, 2), True, False),
    ],
)
@pytest.mark.parametrize("page_name", ["zone_dashboard", "platform_dashboard"])
def test_dashboards_warn_only_when_due(clock, today, enter_2027, shown, page_name):
    clock.set(*today)
    if enter_2027:
        enter_a_day_of(2027)
    viewer = ZoneOfficialFactory() if page_name == "zone_dashboard" else PlatformAdminFactory()
    response = english_client(viewer).get(reverse(page_name))
    assert response.status_code == 200
    page = response.content.decode()
    assert ('data-testid="calendar-coverage-warning"' in page) is shown
    assert (WARNING_2027 in page) is shown
    admin_list = reverse("admin:core_calendarday_changelist")
    assert (f'href="{admin_list}"' in page) is (shown and page_name == "platform_dashboard")


# --- the log line ----------------------------------------------------------------------------


@pytest.fixture
def fresh_warnings(monkeypatch, caplog):
    monkeypatch.setattr(workdays, "_warned_years", set())
    caplog.set_level(logging.WARNING, logger="ecosystem.core.workdays")
    return caplog


def calendar_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ecosystem.core.workdays"]


def test_a_count_into_a_year_without_entries_logs_once_per_year(fresh_warnings):
    assert working_days_between(date(2026, 12, 20), date(2027, 1, 10)) == 15
    assert working_days_between(date(2026, 12, 1), date(2027, 2, 1)) > 0
    messages = calendar_warnings(fresh_warnings)
    assert len(messages) == 1
    assert "2027" in messages[0] and "Monday to Friday" in messages[0]
    working_days_between(date(2027, 12, 1), date(2028, 1, 3))
    assert len(calendar_warnings(fresh_warnings)) == 2  # 2028 warns once too


def test_counts_within_entered_years_log_nothing(fresh_warnings):
    working_days_between(date(2025, 1, 1), date(2026, 12, 31))
    working_days_between(date(2026, 12, 1), date(2027, 1, 1), overrides={})  # caller's own
    assert calendar_warnings(fresh_warnings) == []


def test_only_the_days_after_the_start_count_towards_a_year(fresh_warnings):
    working_days_between(date(2026, 12, 1), date(2026, 12, 31))
    working_days_between(date(2026, 12, 31), date(2026, 12, 31))
    working_days_between(date(2024, 12, 31), date(2025, 1, 10))  # 2024 has no entries
    assert calendar_warnings(fresh_warnings) == []
