"""A bank with two products and two branches whose leads were contacted and decided at
known moments of November 2026 (an ordinary month: no holiday), for the time-to-decision
figures. The working hours of each lead are counted by hand in ``EXPECTED_HOURS``."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from ecosystem.financing.models import Lead
from ecosystem.financing.summary_recount import summaries_rebuild
from tests.factories import (
    BankManagerFactory,
    BranchFactory,
    EnterpriseFactory,
    LeadFactory,
    ProductVersionFactory,
)

BJ = ZoneInfo("Asia/Shanghai")


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=BJ)


MONDAY = at(2026, 11, 16, 9, 0)
DUE = at(2026, 11, 19, 9, 0)  # three working days after Monday 09:00
#: A moment after every due time of the world but the fifth lead's.
NOW = at(2026, 11, 30, 12, 0)

#: name: (product, branch, created, first contact, decided, decision due)
LEADS = {
    # contact after 2 working hours, decision after 9 (Tuesday 09:30): on time
    "l1": ("a", "b1", MONDAY, at(2026, 11, 16, 11), at(2026, 11, 17, 9, 30), DUE),
    # contact after 4, decision Friday 11:00: 4 × 8.5 + 2 = 36 working hours, late
    "l2": ("a", "b1", MONDAY, at(2026, 11, 16, 13), at(2026, 11, 20, 11), DUE),
    # never contacted nor decided, its decision due time passed
    "l3": ("a", "b2", MONDAY, None, None, DUE),
    # created on Saturday: runs from Monday 09:00; contact 1, decision 8 working hours
    "l4": ("b", "b2", at(2026, 11, 14, 10), at(2026, 11, 16, 10), at(2026, 11, 16, 17), DUE),
    # nothing yet and not due yet: not counted for "within target"
    "l5": ("b", "b2", MONDAY, None, None, "future"),
}
#: Working hours to first contact and to decision, counted by hand.
EXPECTED_HOURS = {
    "l1": (2, 9),
    "l2": (4, 36),
    "l3": (None, None),
    "l4": (1, 8),
    "l5": (None, None),
}


class DecisionWorld:
    def __init__(self):
        self.branches = {"b1": BranchFactory(code="b1")}
        self.bank = self.branches["b1"].bank
        self.branches["b2"] = BranchFactory(bank=self.bank, code="b2")
        self.manager = BankManagerFactory(bank=self.bank)
        self.versions = {
            code: ProductVersionFactory(product__bank=self.bank, product__code=f"prod-{code}")
            for code in ("a", "b")
        }
        self.leads = {}
        for name, (product, branch, created, contact, decided, due) in LEADS.items():
            lead = LeadFactory(
                enterprise=EnterpriseFactory(),
                product_version=self.versions[product],
                branch=self.branches[branch],
                status=Lead.Status.OFFER_MADE if decided else Lead.Status.ASSIGNED,
            )
            Lead.objects.filter(pk=lead.pk).update(
                created_at=created,
                first_contact_at=contact,
                decided_at=decided,
                decision_due_at=timezone.now() + timedelta(days=30) if due == "future" else due,
            )
            lead.refresh_from_db()
            self.leads[name] = lead
        # The clocks were set by update(), past the services: recount the summary tables
        # as after any bulk write (``bench.world``'s COPY).
        summaries_rebuild()

    def product(self, code):
        return self.versions[code].product
