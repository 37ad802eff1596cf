"""The lead API's world: the lead pipeline world plus a consent, another branch of the
same bank, another bank and another enterprise; the API root and an API client."""

from __future__ import annotations

from rest_framework.test import APIClient

from ecosystem.enterprises.models import Consent
from ecosystem.financing.models import Lead
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    ConsentFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    LeadFactory,
)
from tests.worlds.lead_pipeline import World as PipelineWorld

API = "/api/v1/financing/"


S = Lead.Status


def client_for(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def consent(enterprise, bank) -> Consent:
    return ConsentFactory(enterprise=enterprise, bank=bank, text_version="1")


class World(PipelineWorld):
    """The pipeline world plus a consent, another branch of the same bank, another bank
    and another enterprise."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.consent = consent(self.enterprise, self.bank)
        self.other_branch_rm = BankStaffFactory(branch=BranchFactory(bank=self.bank))
        self.other_bank_manager = BankManagerFactory()
        self.other_bank_rm = BankStaffFactory()
        self.other_member = EnterpriseMemberFactory()

    def add_lead(self) -> Lead:
        """Another new lead of the same product and branch (another enterprise)."""
        enterprise = EnterpriseFactory(zone=self.enterprise.zone)
        consent(enterprise, self.bank)
        return LeadFactory(enterprise=enterprise, product_version=self.version, branch=self.branch)


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]
