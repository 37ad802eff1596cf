"""seed_demo, run once for the module and then a second time (``demo``): one account per
role, three zones and a bank branch for each, and months of history (leads in every state,
offers answered both ways, disbursements, campaigns, claims decided by the zone, a list
import with refused rows); the zones' policy funds over a live loan book (two fund managers
of the pool, four eyes, loans with filings pending, confirmed and refused, a claim approved
and paid with a recovery, subsidy applications in each state); the enterprises on chains
with a leader whose confirmed suppliers match chain finance; every role's home, inbox and
dashboards show work; and the second run changes nothing.

The command takes about 25 s, so the module builds its world once (``module_db``: products
rematch after commit, as under ``make run``) and each test reads it in a savepoint; the
idempotency test compares the counts after the first run with those after the second.
"""

import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from ecosystem.accounts.models import Membership, User
from ecosystem.accounts.roles import Role
from ecosystem.chains.models import ChainLeader, EnterpriseNode, SupplierLink
from ecosystem.core.models import AuditEvent, Notification
from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
from ecosystem.financing.models import (
    Branch,
    Campaign,
    CampaignInvitation,
    Disbursement,
    Lead,
    LeadNote,
    Match,
    Offer,
    Product,
)
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
from ecosystem.registries.models import ImportRowError, ListImport
from ecosystem.zones.models import Zone
from tests.factories import has_totp

pytestmark = pytest.mark.django_db

COUNTED = (
    User,
    Membership,
    Zone,
    Branch,
    Enterprise,
    FinancialYear,
    QualificationClaim,
    Product,
    Match,
    Lead,
    LeadNote,
    Offer,
    Disbursement,
    Campaign,
    CampaignInvitation,
    ListImport,
    ImportRowError,
    AuditEvent,
    Notification,
    Scheme,
    SchemeVersion,
    CooperatingBank,
    Loan,
    LoanReport,
    LoanEvent,
    Filing,
    CompensationClaim,
    Recovery,
    SubsidyApplication,
    EnterpriseNode,
    ChainLeader,
    SupplierLink,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED} | {
        "confirmed supplier links": SupplierLink.objects.filter(status="confirmed").count()
    }


@pytest.fixture(scope="module")
def demo(module_db):
    out = io.StringIO()
    with module_db.capture(execute=True):
        call_command("seed_demo", stdout=out)
    first = counts()
    with module_db.capture(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    return SimpleNamespace(output=out.getvalue(), first=first, second=counts())


def test_seed_demo_is_idempotent(demo):
    assert demo.second == demo.first
    assert all(demo.first[name] for name in ("Lead", "Loan", "SupplierLink", "AuditEvent"))


def test_seed_demo_covers_every_role(demo):
    assert {"zgc", "zhangjiang", "gz-htz"} <= set(Zone.objects.values_list("code", flat=True))
    for zone in Zone.objects.filter(code__in=["zgc", "zhangjiang", "gz-htz"]):
        assert Branch.objects.filter(zones=zone).exists()
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values) - {Role.ENTERPRISE_MEMBER} | {Role.ENTERPRISE_OWNER}
    assert User.objects.filter(is_superuser=True).exists()
    for email in [
        "official@demo.kejinlink.cn",
        "registry@demo.kejinlink.cn",
        "rm@demo.kejinlink.cn",
        "manager@demo.kejinlink.cn",
        "admin@demo.kejinlink.cn",
    ]:
        assert has_totp(User.objects.get(email=email))
    assert Enterprise.objects.count() >= 200
    assert len(set(QualificationClaim.objects.values_list("status", flat=True))) >= 4
    assert "KejinLink-demo-2026" in demo.output
    assert Match.objects.filter(enterprise__name="北京智芯科技有限公司").exists()


def test_seed_demo_tells_months_of_history_through_the_services(demo):
    from datetime import timedelta

    from django.db.models import Sum
    from django.utils import timezone

    from ecosystem.enterprises.workflow import ClaimStatus
    from ecosystem.financing.selectors import overdue_q

    now = timezone.now()
    statuses = set(Lead.objects.values_list("status", flat=True))
    assert statuses == set(Lead.Status.values)
    assert Lead.objects.filter(overdue_q(now)).count() >= 2
    assert Lead.objects.filter(created_at__lt=now - timedelta(days=60)).exists()
    assert set(Lead.objects.values_list("branch__code", flat=True)) == {
        "beijing",
        "shanghai",
        "guangzhou",
    }
    declined = Lead.objects.filter(status=Lead.Status.DECLINED)
    assert all(lead.decline_reason for lead in declined)
    assert {Offer.Status.ACCEPTED, Offer.Status.DECLINED, Offer.Status.MADE} <= set(
        Offer.objects.values_list("status", flat=True)
    )
    assert Disbursement.objects.aggregate(total=Sum("amount"))["total"] > 0
    assert Campaign.objects.filter(status=Campaign.Status.SENT).exists()
    assert {"accepted", "declined"} <= set(
        CampaignInvitation.objects.values_list("status", flat=True)
    )
    assert QualificationClaim.objects.filter(
        status=ClaimStatus.REJECTED, reason_text__gt=""
    ).exists()
    assert ImportRowError.objects.filter(list_import__status=ListImport.Status.SUCCEEDED).exists()
    assert ListImport.objects.filter(status=ListImport.Status.PREVIEW).exists()
    # Through the services: each lead's moves are audited at their (past) time, and the
    # parties were notified.
    disbursed = Lead.objects.filter(status=Lead.Status.DISBURSED).first()
    events = AuditEvent.objects.filter(
        target_type__model="lead", target_id=str(disbursed.pk)
    ).order_by("created_at")
    assert events.count() >= 4
    assert events.last().created_at < now - timedelta(hours=1)
    assert Notification.objects.filter(created_at__lt=now - timedelta(days=30)).exists()


def test_every_demo_role_finds_work_on_its_home_inbox_and_dashboards(demo, client):
    pages = {
        "founder@demo.kejinlink.cn": ["home"],
        "official@demo.kejinlink.cn": ["home", "zone_queue", "zone_dashboard"],
        "registry@demo.kejinlink.cn": ["home", "registry_imports"],
        "rm@demo.kejinlink.cn": ["home", "financing_lead_inbox", "financing_bank_dashboard"],
        "manager@demo.kejinlink.cn": ["home", "financing_campaigns", "financing_bank_dashboard"],
        "admin@demo.kejinlink.cn": ["home", "platform_dashboard"],
    }
    for email, names in pages.items():
        user = User.objects.get(email=email)
        client.force_login(user)
        home = client.get("/", headers={"accept-language": "en"}).content.decode()
        assert 'data-testid="work-item"' in home or email.startswith("admin"), email
        for name in names:
            response = client.get(reverse(name), headers={"accept-language": "en"})
            assert response.status_code == 200, (email, name)
        assert "no-work" not in home, email
    client.force_login(User.objects.get(email="rm@demo.kejinlink.cn"))
    inbox = client.get(reverse("financing_lead_inbox") + "?tab=team").content.decode()
    assert inbox.count("/financing/leads/") >= 3


def test_the_demo_runs_the_zones_funds_over_a_live_loan_book(demo):
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


def test_the_demo_fund_managers_find_their_work(demo, client):
    for email in ("funds@demo.kejinlink.cn", "funds2@demo.kejinlink.cn"):
        client.force_login(User.objects.get(email=email))
        work = client.get(reverse("funds:work_list"), headers={"accept-language": "en"})
        assert work.status_code == 200
        assert "/funds/claims/" in work.content.decode()
    client.force_login(User.objects.get(email="official@demo.kejinlink.cn"))
    listing = client.get(reverse("funds:scheme_list")).content.decode()
    assert 'data-testid="new-terms"' in listing  # the official manages the subsidy


def test_demo_shows_a_leader_with_confirmed_suppliers_matched_to_chain_finance(demo):
    leader = ChainLeader.objects.get(chain__code="ic", enterprise__name="北京智芯科技有限公司")
    confirmed = SupplierLink.objects.filter(leader=leader, status="confirmed")
    assert confirmed.count() == 3
    assert SupplierLink.objects.filter(leader=leader, status="requested").count() == 1
    for link in confirmed:
        assert Match.objects.filter(
            enterprise=link.supplier, product__code="chain-supplier"
        ).exists(), link.supplier
    waiting = SupplierLink.objects.get(leader=leader, status="requested")
    assert not Match.objects.filter(
        enterprise=waiting.supplier, product__code="chain-supplier"
    ).exists()
    # Every demo enterprise sits on at least one node.
    assert EnterpriseNode.objects.values("enterprise").distinct().count() >= 200
