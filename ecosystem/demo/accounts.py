"""One demo account per role. Staff accounts get a TOTP authenticator with a known secret."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from ecosystem.accounts.models import Membership, User
from ecosystem.accounts.roles import Role
from ecosystem.enterprises.demo import ENTERPRISES, demo_uscc
from ecosystem.enterprises.models import Enterprise
from ecosystem.financing.models import Bank, Branch
from ecosystem.registries.models import Program
from ecosystem.zones.models import Zone

DEMO_PASSWORD = "KejinLink-demo-2026"
#: Demo only: the TOTP secret of every demo staff account. Add it to an authenticator
#: app, or print the current code with ``python manage.py demo_totp``.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _account(email: str, full_name: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=DEMO_PASSWORD, full_name=full_name)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _second_factor(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def demo_accounts() -> list[tuple[str, str, dict, bool]]:
    """(email, full name, membership fields or {}, is staff)."""
    bank = Bank.objects.get(code="demo-bank")
    return [
        ("admin@demo.kejinlink.cn", "平台管理员", {}, True),
        (
            "founder@demo.kejinlink.cn",
            "张创始",
            {
                "role": Role.ENTERPRISE_OWNER,
                "enterprise": Enterprise.objects.get(uscc=demo_uscc(ENTERPRISES[0][0])),
            },
            False,
        ),
        (
            "official@demo.kejinlink.cn",
            "李园区",
            {"role": Role.ZONE_OFFICIAL, "zone": Zone.objects.get(code="zgc")},
            True,
        ),
        (
            "registry@demo.kejinlink.cn",
            "王名录",
            {"role": Role.REGISTRY_OFFICER, "program": Program.objects.get(code="tsme")},
            True,
        ),
        (
            "rm@demo.kejinlink.cn",
            "赵客户经理",
            {
                "role": Role.BANK_RM,
                "bank": bank,
                "branch": Branch.objects.get(bank=bank, code="beijing"),
            },
            True,
        ),
        ("manager@demo.kejinlink.cn", "钱行长", {"role": Role.BANK_MANAGER, "bank": bank}, True),
    ]


def seed(out) -> None:
    out.write(f"demo accounts (password: {DEMO_PASSWORD}):")
    for email, full_name, membership, staff in demo_accounts():
        user = _account(email, full_name, superuser=not membership)
        if membership:
            Membership.objects.get_or_create(user=user, **membership)
        if staff:
            _second_factor(user)
        role = membership.get("role", "platform_admin")
        out.write(f"  {email:32} {role}")
    out.write(
        f"demo staff TOTP secret: {DEMO_TOTP_SECRET} (current code: python manage.py demo_totp)"
    )
    from ecosystem.financing.demo import seed_products
    from ecosystem.funds.demo import seed_funds

    seed_products(out)
    seed_funds(out, account=_account, second_factor=_second_factor)
