"""The world of the lead pages' tests: a bank whose branch serves an enterprise's zone,
one lead with consent, and the outsiders; a signed-in client and the state a refused
request must leave as it was."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecosystem.core.models import AuditEvent
from ecosystem.enterprises.models import AccessLogEntry
from ecosystem.financing.models import Lead, LeadNote, Offer, Product, ProductVersion
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    ConsentFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    LeadFactory,
    ProductVersionFactory,
)

S = Lead.Status


def make_version(bank) -> ProductVersion:
    """Version 1 of an unsecured product of the bank: no criteria, a fixed limit."""
    return ProductVersionFactory(product__bank=bank, product__code=f"p-{Product.objects.count()}")


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
        ConsentFactory(
            enterprise=self.enterprise, bank=self.bank, text_version="v1", granted_by=self.member
        )
        self.lead = LeadFactory(
            enterprise=self.enterprise,
            product_version=self.version,
            branch=self.branch,
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
