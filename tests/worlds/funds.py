"""The world of the funds' tests: a bank whose lead was disbursed (through the pipeline's
own services), the people on each side and the outsiders; and helpers that build rows and
files of a loan book."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ecosystem.financing import services as pipeline
from tests.worlds.leads import S
from tests.worlds.leads import World as LeadWorld

TERMS = {"amount": Decimal("1000000"), "rate": Decimal("4.0000"), "term_months": 12}


def disburse(world: LeadWorld, lead, *, days_ago: int = 30, amount=Decimal("1000000")):
    """Take ``lead`` (contacted) through offer, acceptance and disbursement."""
    offer = pipeline.offer_make(
        lead=lead,
        actor=world.rm,
        valid_until=timezone.now() + timedelta(days=14),
        **{**TERMS, "amount": amount},
    )
    pipeline.offer_accept(offer=offer, actor=world.member)
    pipeline.disbursement_record(
        lead=lead,
        actor=world.rm,
        amount=amount,
        disbursed_on=timezone.localdate() - timedelta(days=days_ago),
    )
    lead.refresh_from_db()
    return lead


class World(LeadWorld):
    """A lead of the enterprise disbursed 30 days ago (¥1,000,000, 12 months at 4 %), and a
    disbursed lead of another bank (with its own RM and member)."""

    def __init__(self, *, days_ago: int = 30):
        super().__init__(status=S.CONTACTED)
        self.lead = disburse(self, self.lead, days_ago=days_ago)
        other = LeadWorld(status=S.CONTACTED)
        self.other = other
        self.other_lead = disburse(other, other.lead, days_ago=days_ago)

    @property
    def today(self):
        return timezone.localdate()

    def row(self, reference="LN-001", *, lead=True, **fields) -> dict:
        """A status row as a bank's file or system sends it."""
        row = {
            "reference": reference,
            "as_of": self.today.isoformat(),
            "outstanding_principal": "900000.00",
            "next_due_date": (self.today + timedelta(days=30)).isoformat(),
            "days_past_due": "0",
            "classification": "normal",
        }
        if lead is True:
            row["lead"] = str(self.lead.pk)
        elif lead:
            row["lead"] = str(lead)
        row.update(fields)
        return row


HEADER_ZH = ["贷款编号", "线索编号", "报告日期", "贷款余额", "下次还款日", "逾期天数", "五级分类"]
FIELDS = [
    "reference",
    "lead",
    "as_of",
    "outstanding_principal",
    "next_due_date",
    "days_past_due",
    "classification",
]


def csv_bytes(rows: list[dict], *, encoding="utf-8", header=HEADER_ZH) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in FIELDS])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER_ZH)
    for row in rows:
        sheet.append([row.get(name, "") for name in FIELDS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
