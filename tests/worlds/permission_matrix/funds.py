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
    "funds:loan_upload": E("anonymous=302 rm=200 other_rm=200 manager=200 other_bank=200 *=404"),
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
    "funds:loan_sharing": E(
        "anonymous=302 member=302 *=404",
        method="POST",
        changes="member",
        objects={"enterprise_pk": "enterprise"},
    ),
    "funds:scheme_list": E("anonymous=302 *=200"),
    "funds:scheme_detail": E(
        "anonymous=302 member=404 other_member=404 registry=404 *=200", pk="scheme"
    ),
    "funds:scheme_join": E(
        "anonymous=302 manager=302 other_bank=302 *=404",
        pk="scheme",
        method="POST",
        changes="other_bank",
    ),
    "funds:fund_dashboard": E(
        "anonymous=302 member=404 other_member=404 registry=404 rm=404 other_rm=404 *=200"
    ),
    "funds:fund_dashboard_export": E(
        "anonymous=302 member=404 other_member=404 registry=404 rm=404 other_rm=404 *=200",
        table="chain",
    ),
    "funds:work_list": E("anonymous=302 other_official=404 registry=404 *=200"),
    "funds:filing_create": E(
        _BANK_POST, method="POST", changes="rm manager", objects={"loan_pk": "free_loan"}
    ),
    "funds:subsidy_create": E(
        "anonymous=302 member=302 *=404",
        method="POST",
        changes="member",
        objects={"loan_pk": "free_loan"},
    ),
    "funds:filing_detail": E("anonymous=302 rm=200 manager=200 admin=200 *=404", pk="filing"),
    "funds:filing_move": E(
        "anonymous=302 rm=302 manager=302 admin=302 *=404",
        pk="filing",
        method="POST",
        changes="rm manager",
    ),
    "funds:claim_create": E(
        _BANK_POST, method="POST", changes="rm manager", objects={"filing_pk": "claimable_filing"}
    ),
    "funds:claim_detail": E(
        "anonymous=302 official=200 rm=200 manager=200 admin=200 *=404", pk="fund_claim"
    ),
    "funds:claim_move": E(
        "member=404 other_member=404 other_official=404 registry=404 other_bank=404"
        " other_rm=404 *=302",
        pk="fund_claim",
        method="POST",
        changes="official",
    ),
    "funds:recovery_create": E(_BANK_POST, pk="paid_claim", method="POST", changes="rm manager"),
    "funds:subsidy_detail": E(
        "anonymous=302 member=200 rm=200 manager=200 admin=200 *=404", pk="subsidy"
    ),
    "funds:subsidy_move": E(
        "other_member=404 official=404 other_official=404 registry=404 other_bank=404"
        " other_rm=404 *=302",
        pk="subsidy",
        method="POST",
        changes="rm manager",
    ),
}

FUNDS_API: dict[str, Entry] = {
    "api-funds-dashboard": E(
        "anonymous=401 member=404 other_member=404 registry=404 rm=404 other_rm=404 *=200"
    ),
    "api-funds-scheme-list": E("anonymous=401 *=200"),
    "api-funds-scheme-detail": E(
        "anonymous=401 member=404 other_member=404 registry=404 *=200", pk="scheme"
    ),
    "api-funds-filing-list": E("anonymous=401 *=200"),
    "api-funds-filing-detail": E("anonymous=401 rm=200 manager=200 admin=200 *=404", pk="filing"),
    "api-funds-filing-move": E(
        "anonymous=401 rm=200 manager=200 admin=403 *=404",
        pk="filing",
        method="POST",
        changes="rm manager",
    ),
    "api-funds-claim-list": E("anonymous=401 *=200"),
    "api-funds-claim-detail": E(
        "anonymous=401 official=200 rm=200 manager=200 admin=200 *=404", pk="fund_claim"
    ),
    "api-funds-claim-move": E(
        "anonymous=401 official=200 rm=403 manager=403 admin=403 *=404",
        pk="fund_claim",
        method="POST",
        changes="official",
    ),
    "api-funds-subsidy-list": E("anonymous=401 *=200"),
    "api-funds-subsidy-detail": E(
        "anonymous=401 member=200 rm=200 manager=200 admin=200 *=404", pk="subsidy"
    ),
    "api-funds-subsidy-move": E(
        "anonymous=401 member=403 rm=200 manager=200 admin=403 *=404",
        pk="subsidy",
        method="POST",
        changes="rm manager",
    ),
    "api-funds-loan-list": E("anonymous=401 *=200"),
    "api-funds-loan-detail": E(
        "anonymous=401 member=200 rm=200 manager=200 admin=200 *=404", pk="loan"
    ),
    "api-funds-loan-bulk": E(
        "anonymous=401 rm=200 other_rm=200 manager=200 other_bank=200 *=404",
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


def _status_of(name):
    def look(world):
        return type(world.get(name)).objects.get(pk=world.get(name).pk).status

    return look


FUNDS_UNSAFE: dict[str, Unsafe] = {
    "api-funds-filing-move": Unsafe(
        "the filing withdrawn",
        _status_of("filing"),
        lambda world, role: {"to": "withdrawn"},
        json=True,
    ),
    "api-funds-claim-move": Unsafe(
        "the claim reviewed (by its fund manager)",
        _status_of("fund_claim"),
        lambda world, role: {"to": "reviewed"},
        json=True,
    ),
    "api-funds-subsidy-move": Unsafe(
        "the interest confirmed",
        _status_of("subsidy"),
        lambda world, role: {"to": "confirmed", "interest_paid": "1000"},
        json=True,
    ),
    "funds:scheme_join": Unsafe("a cooperating bank", count("funds.CooperatingBank")),
    "funds:filing_create": Unsafe(
        "a new filing",
        count("funds.Filing"),
        lambda world, role: {"scheme": world.objects["scheme"].pk},
    ),
    "funds:subsidy_create": Unsafe(
        "a new subsidy application",
        count("funds.SubsidyApplication"),
        lambda world, role: {
            "scheme": world.objects["subsidy_scheme"].pk,
            "period_start": (timezone.localdate() - timedelta(days=5)).isoformat(),
            "period_end": timezone.localdate().isoformat(),
        },
    ),
    "funds:filing_move": Unsafe(
        "the filing withdrawn", _status_of("filing"), lambda world, role: {"to": "withdrawn"}
    ),
    "funds:claim_create": Unsafe(
        "a new claim",
        count("funds.CompensationClaim"),
        lambda world, role: {"recovery_actions": "催收"},
    ),
    "funds:claim_move": Unsafe(
        "the claim reviewed (by its fund manager)",
        _status_of("fund_claim"),
        lambda world, role: {"to": "reviewed"},
    ),
    "funds:recovery_create": Unsafe(
        "a recovery and its refund",
        count("funds.Recovery"),
        lambda world, role: {"recovered": "1000", "reference": "R-1"},
    ),
    "funds:subsidy_move": Unsafe(
        "the interest confirmed",
        _status_of("subsidy"),
        lambda world, role: {"to": "confirmed", "interest_paid": "1000"},
    ),
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
    "funds:loan_sharing": Unsafe(
        "the firm's loans shared with its zone",
        count("funds.LoanSharing"),
        lambda world, role: {"share": "1"},
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
    free = funds.loan_open(
        lead=_disburse(world, lead_in_status(S.CONTACTED), rm, member),
        actor=rm,
        reference="LN-FREE",
    )
    return {
        "loan": loan,
        "disbursed_lead": disbursed,
        "free_loan": free,
        **_schemes(loan, world.users["official"]),
    }


def _schemes(loan, official) -> dict:
    """A risk pool the bank cooperates in (any firm, any zone) with the loan filed; a
    second pool, managed by the zone official (a zone official may be a fund manager), with
    three defaulted loans' confirmed filings: one claimed, one claimed and paid, one not
    claimed yet; and a subsidy scheme with an application on the loan."""
    from ecosystem.accounts.models import Membership
    from ecosystem.accounts.roles import Role
    from tests.factories import (
        CompensationClaimFactory,
        CooperatingBankFactory,
        FilingFactory,
        LoanFactory,
        SchemeVersionFactory,
        SubsidyApplicationFactory,
    )

    def terms(**kwargs):
        return SchemeVersionFactory(
            effective_from=timezone.localdate() - timedelta(days=400), **kwargs
        )

    pool, pool2 = terms(), terms()
    for version in (pool, pool2):
        CooperatingBankFactory(version=version, bank=loan.bank)
    appointed = Membership.objects.create(
        user=official, role=Role.FUND_MANAGER, scheme=pool2.scheme
    )

    def defaulted_filing():
        bad = LoanFactory(
            disbursement__offer__lead__product_version=loan.lead.product_version,
            disbursement__offer__lead__branch=loan.lead.branch,
            disbursement__offer__lead__enterprise=loan.enterprise,
            days_past_due=120,
        )
        return FilingFactory(loan=bad, version=pool2, status="confirmed")

    claim = CompensationClaimFactory(filing=defaulted_filing())
    paid = CompensationClaimFactory(
        filing=defaulted_filing(), status="paid", amount=Decimal("100000")
    )
    subsidy = terms(scheme__kind="interest_subsidy")
    return {
        "scheme": pool.scheme,
        "managed_scheme": pool2.scheme,
        "fund_manager_membership": appointed,
        "subsidy_scheme": subsidy.scheme,
        "filing": FilingFactory(loan=loan, version=pool),
        "claimable_filing": defaulted_filing(),
        "fund_claim": claim,
        "paid_claim": paid,
        "subsidy": SubsidyApplicationFactory(loan=loan, version=subsidy, interest_paid=1000),
    }
