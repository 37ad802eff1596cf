"""The lead pipeline's world: a bank with a branch serving the enterprise's zone, its
staff, a product version and one lead; and a fast-loan lead created the real way."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from ecosystem.financing.models import Lead, Match, Product, ProductVersion
from ecosystem.financing.services import match_apply
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
)

S = Lead.Status


def make_product(bank, *, kind=Product.Kind.UNSECURED, sla_hours=72) -> ProductVersion:
    product = Product.objects.create(
        bank=bank, code=f"p-{Product.objects.count()}", kind=kind, name_zh="科技贷"
    )
    return ProductVersion.objects.create(
        product=product,
        number=1,
        amount_min=Decimal("100000"),
        amount_max=Decimal("5000000"),
        term_min_months=6,
        term_max_months=36,
        rate_min=Decimal("3.2000"),
        rate_max=Decimal("6.5000"),
        sla_hours=sla_hours,
        limit_basis=ProductVersion.LimitBasis.FIXED,
        limit_factor=Decimal("1000000"),
    )


class World:
    """A bank with a branch serving the enterprise's zone, its staff, and one lead."""

    def __init__(self, *, status=S.NEW, kind=Product.Kind.UNSECURED, sla_hours=72):
        self.enterprise = EnterpriseFactory()
        self.branch = BranchFactory(zones=[self.enterprise.zone])
        self.bank = self.branch.bank
        self.rm = BankStaffFactory(branch=self.branch)
        self.other_rm = BankStaffFactory(branch=self.branch)
        self.manager = BankManagerFactory(bank=self.bank)
        self.member = EnterpriseMemberFactory(enterprise=self.enterprise)
        self.version = make_product(self.bank, kind=kind, sla_hours=sla_hours)
        self.lead = Lead.objects.create(
            enterprise=self.enterprise,
            product=self.version.product,
            product_version=self.version,
            bank=self.bank,
            branch=self.branch,
            source=Lead.Source.APPLY,
            indicative_limit=Decimal("1000000"),
            status=status,
            assigned_to=None if status == S.NEW else self.rm,
        )

    def actor(self, party):
        return {
            "rm": self.rm,
            "other_rm": self.other_rm,
            "manager": self.manager,
            "enterprise": self.member,
            "system": None,
        }[party]


def applied_fast_loan():
    """A fast-loan lead created the real way: the enterprise applies for its match."""
    world = World(kind=Product.Kind.FAST_LOAN, sla_hours=24)
    world.lead.delete()
    match = Match.objects.create(
        enterprise=world.enterprise,
        product=world.version.product,
        product_version=world.version,
        score=90,
        indicative_limit=Decimal("500000"),
        computed_at=timezone.now(),
    )
    world.lead = match_apply(enterprise=world.enterprise, actor=world.member, match=match)
    return world
