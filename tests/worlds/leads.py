"""The world of the lead pages' tests: a bank whose branch serves an enterprise's zone,
one lead with consent, and the outsiders; a signed-in client and the state a refused
request must leave as it was."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecosystem.core.models import AuditEvent
from ecosystem.enterprises.models import AccessLogEntry, Consent
from ecosystem.financing.models import Lead, LeadNote, Offer, Product, ProductVersion
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
)

S = Lead.Status


def make_version(bank) -> ProductVersion:
    product = Product.objects.create(
        bank=bank,
        code=f"p-{Product.objects.count()}",
        kind=Product.Kind.UNSECURED,
        name_zh="科技贷",
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
        sla_hours=72,
        limit_basis=ProductVersion.LimitBasis.FIXED,
        limit_factor=Decimal("1000000"),
    )


class World:
    """A bank whose branch serves the enterprise's zone, with one new lead and consent;
    and outsiders: another bank's staff, another branch's RM, another enterprise."""

    def __init__(self, *, status=S.NEW, due_in=timedelta(hours=72)):
        self.enterprise = EnterpriseFactory(name="北京星河科技有限公司")
        self.branch = BranchFactory(zones=[self.enterprise.zone])
        self.bank = self.branch.bank
        self.rm = BankStaffFactory(branch=self.branch)
        self.other_rm = BankStaffFactory(branch=self.branch)
        self.manager = BankManagerFactory(bank=self.bank)
        self.member = EnterpriseMemberFactory(enterprise=self.enterprise)
        self.rm_other_branch = BankStaffFactory(branch=BranchFactory(bank=self.bank))
        self.rm_other_bank = BankStaffFactory(branch=BranchFactory())
        self.manager_other_bank = BankManagerFactory()
        self.other_member = EnterpriseMemberFactory(enterprise=EnterpriseFactory())
        self.version = make_version(self.bank)
        Consent.objects.create(
            enterprise=self.enterprise,
            bank=self.bank,
            purpose=Consent.Purpose.FINANCING,
            text_version="v1",
            granted_by=self.member,
            granted_at=timezone.now(),
        )
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
            due_at=timezone.now() + due_in,
        )

    def url(self, name, *args):
        return reverse(name, args=args)

    def lead_url(self, name="financing_lead_detail"):
        return reverse(name, args=[self.lead.pk])

    def enterprise_leads_url(self, enterprise=None):
        return reverse("financing_enterprise_leads", args=[(enterprise or self.enterprise).pk])


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def state(world) -> tuple:
    """What a refused request must leave as it was."""
    world.lead.refresh_from_db()
    return (
        world.lead.status,
        world.lead.assigned_to_id,
        LeadNote.objects.count(),
        AuditEvent.objects.count(),
        list(Offer.objects.values_list("pk", "status")),
        AccessLogEntry.objects.count(),
    )
