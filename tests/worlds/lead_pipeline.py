"""The lead pipeline's world: a bank with a branch serving the enterprise's zone, its
staff, a product version and one lead; and a fast-loan lead created the real way."""

from __future__ import annotations

from decimal import Decimal

from ecosystem.financing.models import Lead, Product, ProductVersion
from ecosystem.financing.services import match_apply
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    LeadFactory,
    MatchFactory,
    ProductVersionFactory,
)

S = Lead.Status


def make_product(bank, *, kind=Product.Kind.UNSECURED, **targets) -> ProductVersion:
    """Version 1 of a product of the bank: no criteria, a fixed limit of a million yuan;
    ``targets``: its promises (``first_contact_target``, ``decision_unit``…) and
    ``allows_direct_offer``, the factory's defaults otherwise."""
    return ProductVersionFactory(
        product__bank=bank,
        product__code=f"p-{Product.objects.count()}",
        product__kind=kind,
        **targets,
    )


class World:
    """A bank with a branch serving the enterprise's zone, its staff, and one lead."""

    def __init__(self, *, status=S.NEW, kind=Product.Kind.UNSECURED, **targets):
        self.enterprise = EnterpriseFactory()
        self.branch = BranchFactory(zones=[self.enterprise.zone])
        self.bank = self.branch.bank
        self.rm = BankStaffFactory(branch=self.branch)
        self.other_rm = BankStaffFactory(branch=self.branch)
        self.manager = BankManagerFactory(bank=self.bank)
        self.member = EnterpriseMemberFactory(enterprise=self.enterprise)
        self.version = make_product(self.bank, kind=kind, **targets)
        self.lead = LeadFactory(
            enterprise=self.enterprise,
            product_version=self.version,
            branch=self.branch,
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
    world = World(
        kind=Product.Kind.FAST_LOAN,
        first_contact_target=4,
        decision_target=1,
        decision_unit="days",
        allows_direct_offer=True,
    )
    world.lead.delete()
    match = MatchFactory(
        enterprise=world.enterprise,
        product_version=world.version,
        score=90,
        indicative_limit=Decimal("500000"),
    )
    world.lead = match_apply(enterprise=world.enterprise, actor=world.member, match=match)
    return world
