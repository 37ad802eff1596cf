"""The policy funds' part of the permission matrix: its entries, the requests its unsafe
entries send, and the objects it adds to the matrix's world (a disbursed lead with its
loan, and a disbursed lead without one)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ecosystem.financing import services as pipeline
from ecosystem.funds import services as funds
from tests.worlds.permission_matrix.entry import E, Entry
from tests.worlds.permission_matrix.unsafe import Unsafe, count

_BANK_POST = "anonymous=302 rm=302 manager=302 *=404"

FUNDS_PAGES: dict[str, Entry] = {
    "funds:loan_list": E("anonymous=302 other_member=200 registry=404 *=200"),
    "funds:loan_upload": E("anonymous=302 rm=200 manager=200 other_bank=200 *=404"),
    "funds:loan_detail": E(
        "anonymous=302 member=200 rm=200 manager=200 admin=200 *=404", pk="loan"
    ),
    "funds:loan_report": E(_BANK_POST, pk="loan", method="POST", changes="rm manager"),
    "funds:loan_event": E(_BANK_POST, pk="loan", method="POST", changes="rm manager"),
    "funds:loan_open": E(
        _BANK_POST,
        method="POST",
        changes="rm manager",
        objects={"lead_pk": "disbursed_lead"},
    ),
}

FUNDS_API: dict[str, Entry] = {
    "api-funds-loan-list": E("anonymous=401 *=200"),
    "api-funds-loan-detail": E(
        "anonymous=401 member=200 rm=200 manager=200 admin=200 *=404", pk="loan"
    ),
    "api-funds-loan-bulk": E(
        "anonymous=401 rm=200 manager=200 other_bank=200 *=404",
        method="POST",
        changes="rm manager",
    ),
}


def _status(prefix: str) -> dict:
    return {
        f"{prefix}-as_of": timezone.localdate().isoformat(),
        f"{prefix}-outstanding_principal": "700000",
        f"{prefix}-days_past_due": "3",
        f"{prefix}-classification": "special_mention",
    }


FUNDS_UNSAFE: dict[str, Unsafe] = {
    "funds:loan_report": Unsafe(
        "a new status report", count("funds.LoanReport"), lambda world, role: _status("status")
    ),
    "funds:loan_event": Unsafe(
        "a new payment",
        count("funds.LoanEvent"),
        lambda world, role: {
            "event-kind": "interest",
            "event-amount": "2000",
            "event-paid_on": timezone.localdate().isoformat(),
            "event-reference": "PAY-1",
        },
    ),
    "funds:loan_open": Unsafe(
        "a new loan",
        count("funds.Loan"),
        lambda world, role: {"loan-reference": "LN-NEW", **_status("loan")},
    ),
    "api-funds-loan-bulk": Unsafe(
        "a new loan",
        count("funds.Loan"),
        lambda world, role: {
            "rows": [
                {
                    "reference": "LN-API",
                    "lead": world.objects["disbursed_lead"].pk,
                    "as_of": timezone.localdate().isoformat(),
                    "outstanding_principal": "800000",
                    "classification": "normal",
                }
            ]
        },
        json=True,
    ),
}


def _disburse(world, lead, rm, member):
    offer = pipeline.offer_make(
        lead=lead,
        actor=rm,
        amount=Decimal("800000"),
        rate=Decimal("4.0"),
        term_months=12,
        valid_until=timezone.now() + timedelta(days=14),
    )
    pipeline.offer_accept(offer=offer, actor=member)
    pipeline.disbursement_record(
        lead=lead,
        actor=rm,
        amount=Decimal("800000"),
        disbursed_on=timezone.localdate() - timedelta(days=10),
    )
    lead.refresh_from_db()
    return lead


def add_funds(world, lead_in_status) -> dict:
    """The objects the funds' entries point at; ``lead_in_status(status)`` makes a lead."""
    from tests.worlds.leads import S

    rm, member = world.leads.rm, world.leads.member
    loaned = _disburse(world, lead_in_status(S.CONTACTED), rm, member)
    loan = funds.loan_open(lead=loaned, actor=rm, reference="LN-MATRIX")
    disbursed = _disburse(world, lead_in_status(S.CONTACTED), rm, member)
    return {"loan": loan, "disbursed_lead": disbursed}
