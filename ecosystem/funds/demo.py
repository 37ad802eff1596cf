"""Demo data of the policy funds: Zhongguancun's technology credit risk-compensation pool
(the published shape: ¥200M fund, 10× leverage, 50 % of losses, ¥30M per firm and year,
terms up to three years), its fund manager and the demo bank cooperating. Idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

FUND_MANAGER = "funds@demo.kejinlink.cn"


def seed_funds(out, *, account, second_factor) -> None:
    from ecosystem.accounts.models import User
    from ecosystem.financing.models import Bank
    from ecosystem.funds.models import CooperatingBank, Scheme
    from ecosystem.funds.services.schemes import (
        bank_join,
        fund_manager_appoint,
        scheme_version_create,
    )
    from ecosystem.registries.models import Program
    from ecosystem.zones.models import Zone

    zone = Zone.objects.get(code="zgc")
    scheme, _created = Scheme.objects.get_or_create(
        code="zgc-tech-credit-pool",
        defaults={
            "name": "中关村科技信贷风险补偿资金池",
            "kind": Scheme.Kind.RISK_POOL,
            "owner_zone": zone,
        },
    )
    admin = User.objects.get(email="admin@demo.kejinlink.cn")
    manager = account(FUND_MANAGER, "孙资金")
    second_factor(manager)
    if not scheme.versions.exists():
        fund_manager_appoint(scheme=scheme, user=manager, actor=admin)
        scheme_version_create(
            scheme=scheme,
            actor=manager,
            effective_from=date(date.today().year, 1, 1),
            programs=list(Program.objects.filter(code__in=["hte", "tsme"])),
            zones=[zone],
            fund_size=Decimal("200000000.00"),
            leverage_cap=Decimal("10"),
            compensation_share=Decimal("0.50"),
            cumulative_cap=Decimal("100000000.00"),
            per_firm_annual_cap=Decimal("30000000.00"),
            max_term_months=36,
            subsidy_rate=Decimal("0.02"),
            per_firm_annual_subsidy_cap=Decimal("500000.00"),
        )
    bank = Bank.objects.get(code="demo-bank")
    if not CooperatingBank.objects.filter(scheme=scheme, bank=bank).exists():
        bank_join(
            scheme=scheme, bank=bank, actor=User.objects.get(email="manager@demo.kejinlink.cn")
        )
    out.write(f"  {FUND_MANAGER:32} fund_manager ({scheme.name})")
