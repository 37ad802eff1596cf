"""The world of the pool's tests: the funds world's disbursed loan in the book, a risk
pool (and an interest-subsidy scheme) whose terms accept the firm's zone and a program the
firm holds — verified by an official list entry before the disbursement — the bank
cooperating, and two fund managers (four eyes)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.funds import services as funds
from ecosystem.funds.models import Scheme
from ecosystem.funds.services.schemes import bank_join, fund_manager_appoint
from tests.factories import (
    PlatformAdminFactory,
    ProgramFactory,
    QualificationClaimFactory,
    RegistryEntryFactory,
    SchemeVersionFactory,
    UserFactory,
)
from tests.worlds.funds import World


def fund_manager(scheme, user=None):
    """A fund manager of ``scheme`` (staff: with a second factor)."""
    if user is None:
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        user = UserFactory()
        TOTP.activate(user, generate_totp_secret())
    fund_manager_appoint(scheme=scheme, user=user, actor=PlatformAdminFactory())
    return user


def verified_claim(enterprise, program, *, days_ago: int, registry=True, **fields):
    """A claim verified ``days_ago`` days ago, by a list entry or by an official."""
    entry = RegistryEntryFactory(program=program, uscc=enterprise.uscc) if registry else None
    return QualificationClaimFactory(
        enterprise=enterprise,
        program=program,
        status=ClaimStatus.VERIFIED,
        registry_entry=entry,
        decided_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


class PoolWorld(World):
    """``loan`` (¥1,000,000 for 12 months, disbursed 30 days ago) in the book; ``pool``
    (fund ¥1,000,000 × leverage 5; 50 % of losses; bank cap ¥400,000; firm cap ¥3,000,000;
    36 months) with ``fm`` and ``fm2``; ``subsidy`` (30 % of interest, firm cap ¥10,000)."""

    def __init__(self, *, pool_terms=None, subsidy_terms=None, **kwargs):
        super().__init__(**kwargs)
        self.program = ProgramFactory()
        self.claim = verified_claim(self.enterprise, self.program, days_ago=60)
        self.loan = funds.loan_open(lead=self.lead, actor=self.rm, reference="LN-POOL-1")
        pool = {
            "fund_size": Decimal("1000000"),
            "leverage_cap": Decimal("5"),
            "compensation_share": Decimal("0.5"),
            "cumulative_cap": Decimal("400000"),
            "per_firm_annual_cap": Decimal("3000000"),
            "max_term_months": 36,
        }
        self.pool_version = self._scheme(Scheme.Kind.RISK_POOL, **{**pool, **(pool_terms or {})})
        self.pool = self.pool_version.scheme
        subsidy = {"subsidy_rate": Decimal("0.3"), "per_firm_annual_subsidy_cap": Decimal("10000")}
        self.subsidy_version = self._scheme(
            Scheme.Kind.INTEREST_SUBSIDY, **{**subsidy, **(subsidy_terms or {})}
        )
        self.subsidy = self.subsidy_version.scheme
        self.fm = fund_manager(self.pool)
        self.fm2 = fund_manager(self.pool)
        self.subsidy_fm = fund_manager(self.subsidy)
        bank_join(scheme=self.pool, bank=self.bank, actor=self.manager)

    def _scheme(self, kind, **terms):
        version = SchemeVersionFactory(
            scheme__kind=kind,
            scheme__owner_zone=self.enterprise.zone,
            effective_from=timezone.localdate() - timedelta(days=400),
            **terms,
        )
        version.programs.set([self.program])
        version.zones.set([self.enterprise.zone])
        return version

    def file(self, loan=None):
        return funds.filing_submit(loan=loan or self.loan, scheme=self.pool, actor=self.rm)

    def confirmed(self, loan=None):
        filing = self.file(loan)
        return funds.filing_transition(filing=filing, to="confirmed", actor=self.fm)

    def default(self, loan=None, *, days=95, outstanding="800000"):
        """Report the loan ``days`` past due (non-performing from 90)."""
        from ecosystem.funds.services.loans import Status

        funds.loan_report(
            loan=loan or self.loan,
            actor=self.rm,
            status=Status(
                as_of=timezone.localdate(),
                outstanding_principal=Decimal(outstanding),
                days_past_due=days,
                classification="special_mention",
            ),
        )

    def another_firm(self):
        """Another eligible firm of the zone (its member is ``members[firm.pk]``): the same
        program verified before the disbursements, consent to the bank."""
        from tests.factories import ConsentFactory, EnterpriseFactory, EnterpriseMemberFactory

        firm = EnterpriseFactory(zone=self.enterprise.zone)
        member = EnterpriseMemberFactory(enterprise=firm)
        ConsentFactory(enterprise=firm, bank=self.bank, text_version="v1", granted_by=member)
        verified_claim(firm, self.program, days_ago=60)
        self.members = {**getattr(self, "members", {}), firm.pk: member}
        return firm

    def another_loan(self, reference, *, amount=Decimal("1000000"), days_ago=30, enterprise=None):
        """One more disbursed loan of the bank (another product), in the book; of
        ``enterprise`` (from ``another_firm``) or of the world's firm."""
        from types import SimpleNamespace

        from tests.factories import LeadFactory
        from tests.worlds.funds import disburse
        from tests.worlds.leads import S, make_version

        enterprise = enterprise or self.enterprise
        member = self.member if enterprise == self.enterprise else self.members[enterprise.pk]
        lead = LeadFactory(
            enterprise=enterprise,
            product_version=make_version(self.bank),
            branch=self.branch,
            status=S.CONTACTED,
            assigned_to=self.rm,
            due_at=timezone.now() + timedelta(days=3),
        )
        lead = disburse(
            SimpleNamespace(rm=self.rm, member=member), lead, days_ago=days_ago, amount=amount
        )
        return funds.loan_open(lead=lead, actor=self.rm, reference=reference)
