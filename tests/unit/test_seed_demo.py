"""seed_demo: one account per role, three zones and a bank branch for each, and months of
history (leads in every state, offers answered both ways, disbursements, campaigns, claims
decided by the zone, a list import with refused rows); idempotent; every role's home, inbox
and dashboards show work."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ecosystem.accounts.models import Membership, User
from ecosystem.accounts.roles import Role
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
from ecosystem.registries.models import ImportRowError, ListImport
from ecosystem.zones.models import Zone
from tests.factories import has_totp

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (
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
        )
    ]


def test_seed_demo_is_idempotent_and_covers_every_role(django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # products rematch after commit
        call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
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
    assert "KejinLink-demo-2026" in out.getvalue()
    assert Match.objects.filter(enterprise__name="北京智芯科技有限公司").exists()


def test_seed_demo_tells_months_of_history_through_the_services():
    from datetime import timedelta

    from django.db.models import Sum
    from django.utils import timezone

    from ecosystem.enterprises.workflow import ClaimStatus
    from ecosystem.financing.selectors import overdue_q

    call_command("seed_demo", stdout=io.StringIO())
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


def test_every_demo_role_finds_work_on_its_home_inbox_and_dashboards(client):
    call_command("seed_demo", stdout=io.StringIO())
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
