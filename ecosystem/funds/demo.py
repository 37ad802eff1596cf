"""Demo data of the policy funds' schemes, through the services: Zhongguancun's technology
credit risk-compensation pool (the published shape: ¥200M fund, 10× leverage, 50 % of
losses, ¥30M per firm and year, terms up to three years) with two fund managers (four
eyes), and the zone's technology-loan interest subsidy (30 % of the interest paid, at most
¥500,000 per firm and year) managed by the zone official (a zone official may be a fund
manager) and the first fund manager; the demo bank cooperates in both. Idempotent.

The loans filed into them, the claims and the subsidy applications are history:
``ecosystem/demo/fund_book.py`` (run after the leads' history, from disbursed leads)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

FUND_MANAGER = "funds@demo.kejinlink.cn"
SECOND_FUND_MANAGER = "funds2@demo.kejinlink.cn"
POOL_CODE = "zgc-tech-credit-pool"
SUBSIDY_NAME = "中关村科技贷款贴息"


def _appoint(scheme, user, admin) -> None:
    from ecosystem.accounts.scope import fund_manager_appointments
    from ecosystem.funds.services.schemes import fund_manager_appoint

    if not fund_manager_appointments(scheme.pk).filter(user=user, is_active=True).exists():
        fund_manager_appoint(scheme=scheme, user=user, actor=admin)


def _join(scheme, bank, manager) -> None:
    from ecosystem.funds.models import CooperatingBank
    from ecosystem.funds.services.schemes import bank_join

    if not CooperatingBank.objects.filter(scheme=scheme, bank=bank).exists():
        bank_join(scheme=scheme, bank=bank, actor=manager)


def seed_funds(out, *, account, second_factor) -> None:
    from ecosystem.accounts.models import User
    from ecosystem.financing.models import Bank
    from ecosystem.funds.models import Scheme
    from ecosystem.funds.services.schemes import scheme_create, scheme_version_create
    from ecosystem.registries.models import Program
    from ecosystem.zones.models import Zone

    zone = Zone.objects.get(code="zgc")
    # The terms run from the start of last year: the demo's loans of the past months fall
    # under them whatever the day of the year.
    start = date(date.today().year - 1, 1, 1)
    programs = list(Program.objects.filter(code__in=["hte", "tsme"]))
    admin = User.objects.get(email="admin@demo.kejinlink.cn")
    official = User.objects.get(email="official@demo.kejinlink.cn")
    manager = account(FUND_MANAGER, "孙资金")
    second = account(SECOND_FUND_MANAGER, "周复核")
    for person in (manager, second):
        second_factor(person)

    pool, _created = Scheme.objects.get_or_create(
        code=POOL_CODE,
        defaults={
            "name": "中关村科技信贷风险补偿资金池",
            "kind": Scheme.Kind.RISK_POOL,
            "owner_zone": zone,
        },
    )
    _appoint(pool, manager, admin)
    _appoint(pool, second, admin)
    if not pool.versions.exists():
        scheme_version_create(
            scheme=pool,
            actor=manager,
            effective_from=start,
            programs=programs,
            zones=[zone],
            fund_size=Decimal("200000000.00"),
            leverage_cap=Decimal("10"),
            compensation_share=Decimal("0.50"),
            cumulative_cap=Decimal("100000000.00"),
            per_firm_annual_cap=Decimal("30000000.00"),
            max_term_months=36,
        )

    subsidy = Scheme.objects.filter(name=SUBSIDY_NAME).first()
    if subsidy is None:
        subsidy = scheme_create(
            actor=admin, name=SUBSIDY_NAME, kind=Scheme.Kind.INTEREST_SUBSIDY, owner_zone=zone
        )
    _appoint(subsidy, official, admin)
    _appoint(subsidy, manager, admin)
    if not subsidy.versions.exists():
        scheme_version_create(
            scheme=subsidy,
            actor=official,
            effective_from=start,
            programs=programs,
            zones=[zone],
            fund_size=Decimal("50000000.00"),
            subsidy_rate=Decimal("0.30"),
            per_firm_annual_subsidy_cap=Decimal("500000.00"),
        )

    bank = Bank.objects.get(code="demo-bank")
    bank_manager = User.objects.get(email="manager@demo.kejinlink.cn")
    _join(pool, bank, bank_manager)
    _join(subsidy, bank, bank_manager)
    out.write(f"  {FUND_MANAGER:32} fund_manager ({pool.name}, {subsidy.name})")
    out.write(f"  {SECOND_FUND_MANAGER:32} fund_manager ({pool.name}: the second pair of eyes)")
    out.write(f"  {'official@demo.kejinlink.cn':32} also fund_manager ({subsidy.name})")
