"""Factories of the policy funds: loans (on a disbursed lead), their reports and payments,
schemes and their versions, cooperating banks, products under schemes, filings, claims,
recoveries and subsidy applications."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from ecosystem.funds.models import (
    CompensationClaim,
    CooperatingBank,
    Filing,
    Loan,
    LoanEvent,
    LoanReport,
    Recovery,
    Scheme,
    SchemeProduct,
    SchemeVersion,
    SubsidyApplication,
)
from tests.factories.financing import DisbursementFactory, ProductFactory


def _days_ago(days: int):
    return lambda: timezone.localdate() - timedelta(days=days)


class LoanFactory(factory.django.DjangoModelFactory):
    """The loan of a disbursement made 60 days ago, performing."""

    class Meta:
        model = Loan

    class Params:
        disbursement = factory.SubFactory(
            DisbursementFactory, disbursed_on=factory.LazyFunction(_days_ago(60))
        )

    lead = factory.SelfAttribute("disbursement.lead")
    bank = factory.SelfAttribute("lead.bank")
    enterprise = factory.SelfAttribute("lead.enterprise")
    reference = factory.Sequence(lambda n: f"LN{n:06d}")
    principal = factory.SelfAttribute("disbursement.amount")
    disbursed_on = factory.SelfAttribute("disbursement.disbursed_on")
    term_months = 12
    annual_rate = Decimal("4.0000")
    outstanding_principal = factory.SelfAttribute("principal")
    days_past_due = 0
    classification = Loan.Classification.NORMAL
    reported_on = factory.SelfAttribute("disbursed_on")


class LoanReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoanReport

    loan = factory.SubFactory(LoanFactory)
    as_of = factory.SelfAttribute("loan.disbursed_on")
    outstanding_principal = factory.SelfAttribute("loan.principal")
    classification = Loan.Classification.NORMAL
    source = LoanReport.Source.API


class LoanEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoanEvent

    loan = factory.SubFactory(LoanFactory)
    kind = LoanEvent.Kind.INTEREST
    amount = Decimal("2666.67")
    paid_on = factory.SelfAttribute("loan.disbursed_on")
    reference = factory.Sequence(lambda n: f"PAY{n:06d}")
    source = LoanEvent.Source.API


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    code = factory.Sequence(lambda n: f"pool-{n}")
    name = factory.Sequence(lambda n: f"科技信贷风险补偿资金池 {n}")
    kind = Scheme.Kind.RISK_POOL
    owner_body = "市科技局"


class SchemeVersionFactory(factory.django.DjangoModelFactory):
    """Terms of the published example: a ¥200M pool, leverage 10, 50 % of losses."""

    class Meta:
        model = SchemeVersion

    scheme = factory.SubFactory(SchemeFactory)
    number = 1
    fund_size = Decimal("200000000.00")
    leverage_cap = Decimal("10.00")
    compensation_share = Decimal("0.5000")
    cumulative_cap = Decimal("50000000.00")
    per_firm_annual_cap = Decimal("30000000.00")
    max_term_months = 36
    subsidy_rate = Decimal("0.3000")
    per_firm_annual_subsidy_cap = Decimal("500000.00")
    effective_from = factory.LazyFunction(_days_ago(365))


class CooperatingBankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperatingBank

    version = factory.SubFactory(SchemeVersionFactory)
    scheme = factory.SelfAttribute("version.scheme")
    bank = factory.SubFactory("tests.factories.people.BankFactory")


class SchemeProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchemeProduct

    product = factory.SubFactory(ProductFactory)
    scheme = factory.SubFactory(SchemeFactory)


class FilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Filing

    loan = factory.SubFactory(LoanFactory)
    version = factory.SubFactory(SchemeVersionFactory)
    scheme = factory.SelfAttribute("version.scheme")
    amount = factory.SelfAttribute("loan.principal")


class CompensationClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompensationClaim

    filing = factory.SubFactory(FilingFactory, status=Filing.Status.CONFIRMED)
    principal = factory.SelfAttribute("filing.loan.outstanding_principal")
    share = Decimal("0.5000")
    requested = factory.LazyAttribute(lambda o: (o.principal * o.share).quantize(Decimal("0.01")))
    recovery_actions = "催收函、诉讼保全"


class RecoveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recovery

    claim = factory.SubFactory(CompensationClaimFactory, status=CompensationClaim.Status.PAID)
    recovered = Decimal("100000.00")
    refund = Decimal("50000.00")
    reference = factory.Sequence(lambda n: f"REC{n:06d}")


class SubsidyApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubsidyApplication

    loan = factory.SubFactory(LoanFactory)
    version = factory.SubFactory(SchemeVersionFactory, scheme__kind=Scheme.Kind.INTEREST_SUBSIDY)
    scheme = factory.SelfAttribute("version.scheme")
    period_start = factory.SelfAttribute("loan.disbursed_on")
    period_end = factory.LazyFunction(timezone.localdate)
