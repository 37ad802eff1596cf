"""seed_demo's policy funds: the zone's risk pool and its interest subsidy, two fund
managers of the pool (four eyes) and the zone official managing the subsidy, the demo bank
cooperating in both; loans from disbursed demo leads with filings pending, confirmed and
refused, a loan 95+ days past due whose claim is under review, a claim approved and paid
with a recovery refunding the pool's share, subsidy applications in each state — all
through the services (audited), and a second run changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ecosystem.accounts.models import Membership, User
from ecosystem.accounts.roles import Role
from ecosystem.core.models import AuditEvent
from ecosystem.enterprises.models import QualificationClaim
from ecosystem.financing.models import Lead
from ecosystem.funds.models import (
    CompensationClaim,
    CooperatingBank,
    Filing,
    Loan,
    LoanEvent,
    LoanReport,
    Recovery,
    Scheme,
    SchemeVersion,
    SubsidyApplication,
)

pytestmark = pytest.mark.django_db

MODELS = (
    Scheme,
    SchemeVersion,
    CooperatingBank,
    Membership,
    Loan,
    LoanReport,
    LoanEvent,
    Filing,
    CompensationClaim,
    Recovery,
    SubsidyApplication,
    QualificationClaim,
    Lead,
    AuditEvent,
)


def _counts():
    return [model.objects.count() for model in MODELS]


def test_the_demo_runs_the_zones_funds_over_a_live_loan_book(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first  # idempotent

    pool = Scheme.objects.get(kind=Scheme.Kind.RISK_POOL, owner_zone__code="zgc")
    subsidy = Scheme.objects.get(kind=Scheme.Kind.INTEREST_SUBSIDY, owner_zone__code="zgc")
    managers = set(
        Membership.objects.filter(scheme=pool, role=Role.FUND_MANAGER, is_active=True).values_list(
            "user__email", flat=True
        )
    )
    assert managers == {"funds@demo.kejinlink.cn", "funds2@demo.kejinlink.cn"}
    assert Membership.objects.filter(
        scheme=subsidy, user__email="official@demo.kejinlink.cn", role=Role.FUND_MANAGER
    ).exists()
    for scheme in (pool, subsidy):
        assert CooperatingBank.objects.filter(scheme=scheme, bank__code="demo-bank").exists()

    loans = Loan.objects.filter(reference__startswith="ZGC-DEMO-")
    assert loans.count() == 6
    assert all(loan.lead.status == Lead.Status.DISBURSED for loan in loans)
    assert set(Filing.objects.filter(scheme=pool).values_list("status", flat=True)) == {
        "filed",
        "confirmed",
        "refused",
    }
    assert Filing.objects.get(status="refused").reason
    assert loans.filter(filings__isnull=True).count() == 1  # one left for the bank to file
    # Each filing recorded the qualification the zone verified before the disbursement.
    for filing in Filing.objects.filter(scheme=pool):
        (qualification,) = filing.eligibility["qualifications"][:1]
        assert qualification["source"] == "official"
        assert qualification["verified_at"][:10] <= filing.loan.disbursed_on.isoformat()

    under_review = CompensationClaim.objects.get(status="reviewed")
    assert under_review.filing.loan.days_past_due >= 95
    assert under_review.reviewed_by.email == "funds@demo.kejinlink.cn"
    paid = CompensationClaim.objects.get(status="paid")
    assert paid.reviewed_by != paid.approved_by  # four eyes
    assert paid.amount == (paid.principal * paid.share).quantize(paid.amount)
    recovery = Recovery.objects.get(claim=paid)
    assert recovery.refund == (recovery.recovered * paid.share).quantize(recovery.refund)

    states = set(SubsidyApplication.objects.filter(scheme=subsidy).values_list("status", flat=True))
    assert states == {"applied", "confirmed", "approved", "paid", "refused"}
    for application in SubsidyApplication.objects.filter(status__in=["approved", "paid"]):
        assert application.amount == (application.interest_paid * 3 / 10).quantize(
            application.amount
        )
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"filing.filed", "compensation_claim.submitted", "subsidy.applied"} <= verbs


def test_the_demo_fund_managers_find_their_work(client):
    call_command("seed_demo", stdout=io.StringIO())
    for email in ("funds@demo.kejinlink.cn", "funds2@demo.kejinlink.cn"):
        client.force_login(User.objects.get(email=email))
        work = client.get(reverse("funds:work_list"), headers={"accept-language": "en"})
        assert work.status_code == 200
        assert "/funds/claims/" in work.content.decode()
    client.force_login(User.objects.get(email="official@demo.kejinlink.cn"))
    listing = client.get(reverse("funds:scheme_list")).content.decode()
    assert 'data-testid="new-terms"' in listing  # the official manages the subsidy
