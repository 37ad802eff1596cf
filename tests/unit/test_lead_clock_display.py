"""The running clock in words on the lead page and in the inbox: "due in 3 working
hours", "overdue by 2 working hours" (in red), in English and Chinese; never a code."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from ecosystem.core.worktime import add_working_hours
from ecosystem.financing.clocks import DECISION, FIRST_CONTACT, lead_clock
from ecosystem.financing.models import Lead
from tests.worlds.leads import World, client_for

pytestmark = pytest.mark.django_db
S = Lead.Status
BJ = ZoneInfo("Asia/Shanghai")


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=BJ)


def text(lead, now, language="en") -> str:
    with translation.override(language):
        return lead_clock(lead, now).text


def test_the_first_contact_clock_counts_working_hours_left():
    due = at(2026, 11, 23, 10, 30)  # Monday
    lead = Lead(status=S.ASSIGNED, due_at=due, first_contact_due_at=due)
    friday = at(2026, 11, 20, 16, 0)
    clock = lead_clock(lead, friday)
    assert (clock.kind, clock.overdue) == (FIRST_CONTACT, False)
    assert text(lead, friday) == "due in 3 working hours"
    assert text(lead, friday, "zh-hans") == "剩余 3 个工作小时"
    assert text(lead, at(2026, 11, 23, 9, 30)) == "due in 1 working hour"
    assert text(lead, at(2026, 11, 23, 10, 0)) == "due in less than a working hour"


def test_an_overdue_clock_counts_working_time_past_due():
    due = at(2026, 11, 20, 16, 0)  # Friday
    lead = Lead(status=S.NEW, due_at=due, first_contact_due_at=due)
    monday = at(2026, 11, 23, 9, 30)
    assert lead_clock(lead, monday).overdue
    assert text(lead, monday) == "overdue by 2 working hours"
    assert text(lead, monday, "zh-hans") == "已超时 2 个工作小时"
    # 1.5 + 8.5 + 8.5 + 3 = 21.5 working hours: two whole working days.
    assert text(lead, at(2026, 11, 25, 12, 0)) == "overdue by 2 working days"


def test_after_first_contact_the_decision_clock_runs_then_none():
    now = at(2026, 11, 16, 9, 0)
    lead = Lead(
        status=S.CONTACTED,
        first_contact_at=now,
        decision_due_at=at(2026, 11, 18, 9, 0),
    )
    clock = lead_clock(lead, now)
    assert clock.kind == DECISION
    assert text(lead, now) == "due in 2 working days"
    with translation.override("zh-hans"):
        assert clock.label == "决定"
    lead.decided_at = now
    assert lead_clock(lead, now) is None
    lead.decided_at, lead.status = None, S.WITHDRAWN
    assert lead_clock(lead, now) is None


def _world_due(first_contact_due) -> World:
    world = World(status=S.ASSIGNED)
    Lead.objects.filter(pk=world.lead.pk).update(
        due_at=first_contact_due, first_contact_due_at=first_contact_due
    )
    return world


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "due in 3 working hours"), ("zh-hans", "剩余 3 个工作小时")],
)
def test_the_lead_page_and_the_inbox_show_the_time_left(language, words):
    world = _world_due(add_working_hours(timezone.now(), 3))
    client = client_for(world.rm)
    for url in (world.lead_url(), world.url("financing_lead_inbox")):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert 'data-testid="lead-clock"' in page, url
        assert words in page, url
        assert 'data-overdue="no"' in page
        assert "first_contact" not in page.split('data-clock="first_contact"', 1)[1][:200]


@pytest.mark.parametrize(
    ("language", "words", "unit"),
    [("en", "overdue by", "working day"), ("zh-hans", "已超时", "个工作日")],
)
def test_an_overdue_lead_shows_its_lateness_in_red(language, words, unit):
    world = _world_due(timezone.now() - timedelta(days=21))
    page = client_for(world.rm).get(world.lead_url(), HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    clock = html.split('data-testid="lead-clock"', 1)[1].split("</div>", 1)[0]
    assert 'data-overdue="yes"' in clock and "text-danger" in html
    assert words in clock and unit in clock
