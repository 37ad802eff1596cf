"""seed_demo: one account per role, three zones and a bank branch for each; idempotent."""

import io

import pytest
from django.core.management import call_command

from ecosystem.accounts.models import Membership, User
from ecosystem.accounts.roles import Role
from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
from ecosystem.financing.models import Branch, Match, Product
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
