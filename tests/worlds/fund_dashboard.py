"""The world of the fund dashboard's tests: a loan book spread over three banks, two zones,
two industrial chains and the three lifecycle stages, filed into two risk pools, with
claims and subsidy applications in every state, and the people who look at it.

Firms (``firms``):
- ``young``: zone A, founded 2 years ago, no figures (start-up); on two nodes of chain X;
- ``big``: zone A, founded 12 years ago, ¥150M revenue (maturity); on chains X and Y;
- ``mid``: zone B, founded 5 years ago, 80 employees (growth); on no chain;
- ``small``: zone B, founded 4 years ago, ¥2M revenue and 10 people (start-up); on chain Y.

Schemes: ``pool`` (owned by zone A, eligible zones A and B), ``city_pool`` (a city body's,
eligible zone B only), ``subsidy`` (owned by zone B), and ``far_pool`` (another zone's,
no loans: nobody here sees it but the admin and its fund manager)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.funds.models import Loan, Scheme
from tests.factories import (
    BankFactory,
    BankManagerFactory,
    BranchFactory,
    ChainFactory,
    ChainNodeFactory,
    CompensationClaimFactory,
    CooperatingBankFactory,
    EnterpriseFactory,
    EnterpriseNodeFactory,
    FilingFactory,
    FinancialYearFactory,
    LeadFactory,
    PlatformAdminFactory,
    ProductVersionFactory,
    SchemeVersionFactory,
    SubsidyApplicationFactory,
    UserFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

M = Decimal("10000")  # 万元


def _founded(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=10)


class DashboardWorld:
    def __init__(self):
        self.zone_a, self.zone_b, self.zone_far = ZoneFactory(), ZoneFactory(), ZoneFactory()
        self.banks = [BankFactory(), BankFactory(), BankFactory()]
        self.versions = {bank.pk: ProductVersionFactory(product__bank=bank) for bank in self.banks}
        self.branches = {
            bank.pk: BranchFactory(bank=bank, zones=[self.zone_a, self.zone_b])
            for bank in self.banks
        }
        self.chain_x, self.chain_y = ChainFactory(position=1), ChainFactory(position=2)
        x1, x2 = ChainNodeFactory(chain=self.chain_x), ChainNodeFactory(chain=self.chain_x)
        y1 = ChainNodeFactory(chain=self.chain_y)
        self.firms = {
            "young": EnterpriseFactory(zone=self.zone_a, founded_on=_founded(2)),
            "big": EnterpriseFactory(zone=self.zone_a, founded_on=_founded(12)),
            "mid": EnterpriseFactory(zone=self.zone_b, founded_on=_founded(5)),
            "small": EnterpriseFactory(zone=self.zone_b, founded_on=_founded(4)),
        }
        year = timezone.localdate().year - 1
        FinancialYearFactory(
            enterprise=self.firms["big"], year=year - 1, revenue=M, employees=5, rd_staff=1
        )
        FinancialYearFactory(
            enterprise=self.firms["big"], year=year, revenue=15000 * M, employees=200, rd_staff=1
        )
        FinancialYearFactory(
            enterprise=self.firms["mid"], year=year, revenue=M, employees=80, rd_staff=1
        )
        FinancialYearFactory(
            enterprise=self.firms["small"], year=year, revenue=200 * M, employees=900, rd_staff=1
        )
        FinancialYearFactory(
            enterprise=self.firms["small"],
            year=year + 1,
            revenue=200 * M / 100,
            employees=10,
            rd_staff=1,
        )
        for firm, nodes in (
            ("young", [x1, x2]),
            ("big", [x1, y1]),
            ("small", [y1]),
        ):
            for node in nodes:
                EnterpriseNodeFactory(enterprise=self.firms[firm], node=node)

        self.pool_version = self._scheme(owner_zone=self.zone_a, zones=[self.zone_a, self.zone_b])
        self.pool = self.pool_version.scheme
        self.city_version = self._scheme(
            owner_zone=None, zones=[self.zone_b], fund_size=Decimal("3000000")
        )
        self.city_pool = self.city_version.scheme
        self.subsidy_version = self._scheme(
            owner_zone=self.zone_b, zones=[self.zone_b], kind=Scheme.Kind.INTEREST_SUBSIDY
        )
        self.subsidy = self.subsidy_version.scheme
        self.far_pool = self._scheme(owner_zone=self.zone_far, zones=[self.zone_far]).scheme
        for version in (self.pool_version, self.city_version):
            for bank in self.banks[:2]:
                CooperatingBankFactory(version=version, bank=bank)
        self._book()
        self.fm = self._fund_manager(self.pool)
        self.manager = BankManagerFactory(bank=self.banks[0])
        self.official_b = ZoneOfficialFactory(zone=self.zone_b)
        self.admin = PlatformAdminFactory()

    def _scheme(self, *, owner_zone, zones, kind=Scheme.Kind.RISK_POOL, **terms):
        version = SchemeVersionFactory(
            scheme__kind=kind,
            scheme__owner_zone=owner_zone,
            fund_size=terms.pop("fund_size", Decimal("10000000")),
            leverage_cap=Decimal("5"),
            **terms,
        )
        version.zones.set(zones)
        return version

    def _fund_manager(self, scheme):
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        user = UserFactory()
        TOTP.activate(user, generate_totp_secret())
        Membership.objects.create(user=user, role=Role.FUND_MANAGER, scheme=scheme)
        return user

    def loan(self, firm: str, bank: int, amount, *, out=None, dpd=0, cls="normal") -> Loan:
        bank = self.banks[bank]
        lead = LeadFactory(
            enterprise=self.firms[firm],
            product_version=self.versions[bank.pk],
            branch=self.branches[bank.pk],
            status="disbursed",
        )
        return Loan.objects.create(
            lead=lead,
            bank=bank,
            enterprise=lead.enterprise,
            reference=f"LN-{lead.pk}",
            principal=amount,
            disbursed_on=timezone.localdate() - timedelta(days=100),
            term_months=24,
            annual_rate=Decimal("4"),
            outstanding_principal=amount if out is None else out,
            days_past_due=dpd,
            classification=cls,
            reported_on=timezone.localdate(),
        )

    def filed(self, loan, version=None, status="confirmed"):
        return FilingFactory(loan=loan, version=version or self.pool_version, status=status)

    def _book(self):
        """Loans of every firm at every bank; filings live and dead; claims and subsidy
        applications in every state."""
        f = self.filed
        f(self.loan("young", 0, 100 * M))
        f(self.loan("young", 1, 80 * M, out=60 * M, cls="substandard"))
        f(self.loan("big", 0, 300 * M, out=250 * M))
        bad_big = f(self.loan("big", 1, 200 * M, out=150 * M, dpd=95))
        f(self.loan("mid", 0, 90 * M, out=90 * M, cls="doubtful"))
        f(self.loan("mid", 2, 50 * M), status="filed")
        f(self.loan("small", 1, 40 * M, out=35 * M, dpd=30))
        bad_small = f(self.loan("small", 0, 70 * M, out=70 * M, cls="loss"))
        f(self.loan("small", 0, 60 * M), status="withdrawn")
        f(self.loan("big", 0, 60 * M), status="refused")
        f(self.loan("young", 0, 20 * M, out=0), status="closed")
        mid_bad = f(self.loan("mid", 1, 55 * M, out=50 * M, dpd=120), version=self.city_version)
        f(self.loan("small", 0, 45 * M), version=self.city_version)
        for filing, status, amount in (
            (bad_big, "paid", 75 * M),
            (bad_small, "approved", 35 * M),
        ):
            CompensationClaimFactory(filing=filing, status=status, amount=amount)
        old = f(self.loan("young", 1, 30 * M, out=30 * M, cls="loss"), status="closed")
        CompensationClaimFactory(filing=old, status="refused", amount=None)
        CompensationClaimFactory(filing=old, status="submitted")
        CompensationClaimFactory(filing=mid_bad, status="reviewed")
        for firm, bank, status, amount in (
            ("mid", 0, "paid", Decimal("1200.50")),
            ("small", 1, "paid", Decimal("800.25")),
            ("small", 1, "approved", Decimal("999")),
        ):
            SubsidyApplicationFactory(
                loan=self.loan(firm, bank, 10 * M),
                version=self.subsidy_version,
                status=status,
                interest_paid=amount * 4,
                amount=amount,
            )

    def more_filed_loans(self, count: int):
        """``count`` more confirmed filings in ``pool`` (spread over the firms and banks)."""
        firms = list(self.firms)
        for n in range(count):
            self.filed(self.loan(firms[n % 4], n % 3, (n + 1) * M, dpd=(n * 7) % 150))
