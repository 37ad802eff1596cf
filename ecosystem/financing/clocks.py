"""A lead's running clock in words: "first contact due in 3 working hours", "decision
overdue by 2 working days".

A lead runs one clock at a time: first contact until it is contacted, then the decision
until an offer or a decline; a closed lead, or one with both clocks stopped, runs none.
The time left is counted in working time (``core.worktime``): a whole number of working
days once it reaches a working day, else working hours."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ecosystem.core.worktime import working_day_hours, working_hours_between

FIRST_CONTACT = "first_contact"
DECISION = "decision"


@dataclass(frozen=True)
class LeadClock:
    kind: str
    due_at: datetime
    #: Working hours left (negative once overdue).
    hours_left: Decimal
    overdue: bool

    @property
    def label(self) -> str:
        return (
            _("First contact") if self.kind == FIRST_CONTACT else pgettext("lead clock", "Decision")
        )

    @property
    def text(self) -> str:
        """ "due in 3 working hours" / "overdue by 2 working days", in the active language."""
        hours = abs(self.hours_left)
        day = working_day_hours()
        if hours >= day:
            days = int(hours // day)
            if self.overdue:
                return ngettext(
                    "overdue by %(count)d working day", "overdue by %(count)d working days", days
                ) % {"count": days}
            return ngettext(
                "due in %(count)d working day", "due in %(count)d working days", days
            ) % {"count": days}
        if hours < 1:
            return (
                _("overdue by less than a working hour")
                if self.overdue
                else _("due in less than a working hour")
            )
        # Round towards the side that keeps the promise: what is left is not rounded up.
        count = math.ceil(hours) if self.overdue else math.floor(hours)
        if self.overdue:
            return ngettext(
                "overdue by %(count)d working hour", "overdue by %(count)d working hours", count
            ) % {"count": count}
        return ngettext(
            "due in %(count)d working hour", "due in %(count)d working hours", count
        ) % {"count": count}


def lead_clock(lead, now: datetime | None = None, *, overrides=None) -> LeadClock | None:
    """The clock the lead runs now, or ``None``. ``overrides``: the working calendar
    (``core.workdays.calendar_overrides()``) when the caller renders many clocks."""
    if not lead.is_open:
        return None
    if lead.first_contact_at is None and (lead.first_contact_due_at or lead.due_at):
        kind, due = FIRST_CONTACT, lead.first_contact_due_at or lead.due_at
    elif lead.decided_at is None and lead.decision_due_at is not None:
        kind, due = DECISION, lead.decision_due_at
    else:
        return None
    now = now or timezone.now()
    return LeadClock(
        kind=kind,
        due_at=due,
        hours_left=working_hours_between(now, due, overrides),
        overdue=now > due,
    )
