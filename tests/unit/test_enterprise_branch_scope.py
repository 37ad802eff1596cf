"""Branch scope of a bank's view of a firm (issue #20): a relationship manager sees the
record, verified claims and evidence only of their branch's firms (a lead in the branch,
or a zone it serves), with the firm's consent; a bank manager sees every consented firm of
the bank. On the pages and in the API; what an RM may not see is a 404, logged nowhere."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ecosystem.enterprises.models import AccessLogEntry, Consent
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    ConsentFactory,
    EnterpriseFactory,
    EvidenceFactory,
    LeadFactory,
    ProductVersionFactory,
    QualificationClaimFactory,
)

pytestmark = pytest.mark.django_db


class Bank:
    """Branch A serves firm ``a``'s zone, branch B firm ``b``'s; both firms consented to the
    bank, have a lead in their branch and a verified claim with evidence."""

    def __init__(self):
        self.a, self.b = EnterpriseFactory(), EnterpriseFactory()
        self.branch_a = BranchFactory(zones=[self.a.zone])
        self.bank = self.branch_a.bank
        self.branch_b = BranchFactory(bank=self.bank, zones=[self.b.zone])
        self.rm_a = BankStaffFactory(branch=self.branch_a)
        self.rm_b = BankStaffFactory(branch=self.branch_b)
        self.manager = BankManagerFactory(bank=self.bank)
        self.version = ProductVersionFactory(product__bank=self.bank)
        self.evidence = {}
        for firm, branch in ((self.a, self.branch_a), (self.b, self.branch_b)):
            ConsentFactory(enterprise=firm, bank=self.bank)
            LeadFactory(enterprise=firm, product_version=self.version, branch=branch)
            claim = QualificationClaimFactory(enterprise=firm, status=ClaimStatus.VERIFIED)
            self.evidence[firm.pk] = EvidenceFactory(claim=claim)

    def detail(self, firm) -> str:
        return reverse("enterprise_detail", args=[firm.pk])

    def download(self, firm) -> str:
        evidence = self.evidence[firm.pk]
        return reverse("evidence_download", args=[firm.pk, evidence.claim_id, evidence.pk])

    def api(self, firm) -> dict[str, str]:
        evidence = self.evidence[firm.pk]
        base = f"/api/v1/enterprises/{firm.pk}/"
        claim = f"{base}claims/{evidence.claim_id}/"
        return {
            "record": base,
            "claims": f"{base}claims/",
            "claim": claim,
            "evidence": f"{claim}evidence/",
            "download": f"{claim}evidence/{evidence.pk}/download/",
        }


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def w():
    return Bank()


def test_an_rm_sees_the_detail_of_their_branch_s_firm_and_a_404_for_the_other_branch_s(w):
    for rm, own, other in ((w.rm_a, w.a, w.b), (w.rm_b, w.b, w.a)):
        logged = AccessLogEntry.objects.count()
        assert page(rm).get(w.detail(other)).status_code == 404
        assert AccessLogEntry.objects.count() == logged  # a refused look leaves no trace
        assert page(rm).get(w.detail(own)).status_code == 200


def test_a_manager_sees_every_consented_firm_of_the_bank(w):
    for firm in (w.a, w.b):
        assert page(w.manager).get(w.detail(firm)).status_code == 200
        assert page(w.manager).get(w.download(firm)).status_code == 200
        assert api(w.manager).get(w.api(firm)["download"]).status_code == 200


def test_evidence_of_the_other_branch_s_firm_is_refused_on_the_page_and_in_the_api(w):
    before = AccessLogEntry.objects.count()
    assert page(w.rm_a).get(w.download(w.b)).status_code == 404
    assert api(w.rm_a).get(w.api(w.b)["download"]).status_code == 404
    assert AccessLogEntry.objects.count() == before
    response = page(w.rm_b).get(w.download(w.b))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert api(w.rm_b).get(w.api(w.b)["download"]).status_code == 200


def test_the_api_hides_the_other_branch_s_firm_everywhere(w):
    client = api(w.rm_a)
    for name, url in w.api(w.b).items():
        assert client.get(url).status_code == 404, name
    for name, url in w.api(w.a).items():
        assert client.get(url).status_code == 200, name
    listed = {row["id"] for row in client.get("/api/v1/enterprises/").json()["results"]}
    assert w.a.pk in listed and w.b.pk not in listed


def test_a_lead_in_the_branch_brings_a_firm_outside_its_zones_into_scope(w):
    """The lead rule: a firm of another zone whose lead the branch works."""
    elsewhere = EnterpriseFactory()
    ConsentFactory(enterprise=elsewhere, bank=w.bank)
    assert page(w.rm_a).get(w.detail(elsewhere)).status_code == 404
    LeadFactory(enterprise=elsewhere, product_version=w.version, branch=w.branch_a)
    assert page(w.rm_a).get(w.detail(elsewhere)).status_code == 200
    assert page(w.rm_b).get(w.detail(elsewhere)).status_code == 404


def test_the_branch_does_not_replace_consent(w):
    """A firm of the branch that revoked its consent is out of reach for the RM too."""
    Consent.objects.filter(enterprise=w.a).update(revoked_at=w.a.created_at)
    assert page(w.rm_a).get(w.detail(w.a)).status_code == 404
    assert page(w.manager).get(w.detail(w.a)).status_code == 404
    assert api(w.rm_a).get(w.api(w.a)["download"]).status_code == 404


def test_an_rm_of_another_bank_sees_neither(w):
    stranger = BankStaffFactory(branch=BranchFactory(zones=[w.a.zone, w.b.zone]))
    for firm in (w.a, w.b):
        assert page(stranger).get(w.detail(firm)).status_code == 404
        assert api(stranger).get(w.api(firm)["record"]).status_code == 404
