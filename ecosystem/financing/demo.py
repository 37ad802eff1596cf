"""The demo bank with one branch serving each demo zone."""

from ecosystem.financing.models import Bank, Branch
from ecosystem.zones.models import Zone

BANK = ("demo-bank", "科创示范银行", "KejinLink Demo Bank")
BRANCHES = [
    ("head-office", "总行科技金融部", "Head office, technology finance", None, True),
    ("beijing", "北京中关村支行", "Beijing Zhongguancun branch", "zgc", False),
    ("shanghai", "上海张江支行", "Shanghai Zhangjiang branch", "zhangjiang", False),
    ("guangzhou", "广州高新区支行", "Guangzhou high-tech zone branch", "gz-htz", False),
]


def seed(out) -> None:
    code, name_zh, name_en = BANK
    bank, _ = Bank.objects.update_or_create(
        code=code, defaults={"name_zh": name_zh, "name_en": name_en}
    )
    for code, name_zh, name_en, zone_code, head in BRANCHES:
        branch, _ = Branch.objects.update_or_create(
            bank=bank,
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "is_head_office": head},
        )
        if zone_code:
            branch.zones.set(Zone.objects.filter(code=zone_code))
    out.write(f"bank: {bank} with {bank.branches.count()} branches")


DEMO_PRODUCTS = [
    (
        "talent-loan",
        "科技人才贷",
        "Technology talent loan",
        "unsecured",
        {
            "amount_min": 500_000,
            "amount_max": 10_000_000,
            "term_min_months": 6,
            "term_max_months": 36,
            "rate_min": "3.2000",
            "rate_max": "4.2000",
            "first_contact_target": 8,
            "first_contact_unit": "hours",
            "decision_target": 3,
            "decision_unit": "days",
            "stages": ["startup"],
            "programs_any": ["tsme", "hte", "innovative-sme"],
            "min_rd_intensity": "0.0500",
            "limit_basis": "rd_multiple",
            "limit_factor": "2.0000",
            "uplift_per_qualification": 500_000,
            "limit_floor": 500_000,
        },
    ),
    (
        "growth-credit",
        "成长期信用贷",
        "Growth credit loan",
        "unsecured",
        {
            "amount_min": 1_000_000,
            "amount_max": 20_000_000,
            "term_min_months": 12,
            "term_max_months": 36,
            "rate_min": "3.1000",
            "rate_max": "4.0000",
            "first_contact_target": 8,
            "first_contact_unit": "hours",
            "decision_target": 3,
            "decision_unit": "days",
            "stages": ["growth"],
            "programs_any": ["hte", "srdi", "little-giant"],
            "min_rd_intensity": "0.0300",
            "limit_basis": "revenue_share",
            "limit_factor": "0.1500",
            "uplift_per_qualification": 1_000_000,
        },
    ),
    (
        "fast-loan",
        "科技快贷",
        "Technology fast loan",
        "fast_loan",
        {
            "amount_min": 1_000_000,
            "amount_max": 30_000_000,
            "term_min_months": 6,
            "term_max_months": 24,
            "rate_min": "2.9000",
            "rate_max": "3.8000",
            "first_contact_target": 4,
            "first_contact_unit": "hours",
            "decision_target": 1,
            "decision_unit": "days",
            "allows_direct_offer": True,
            "stages": ["maturity"],
            "programs_all": ["hte"],
            "limit_basis": "revenue_share",
            "limit_factor": "0.2000",
        },
    ),
]


DEMO_PRODUCTS.append(
    (
        "chain-supplier",
        "链主供应链贷",
        "Chain supplier loan",
        "supply_chain",
        {
            "amount_min": 500_000,
            "amount_max": 5_000_000,
            "term_min_months": 3,
            "term_max_months": 12,
            "rate_min": "3.4500",
            "rate_max": "4.3500",
            "first_contact_target": 8,
            "first_contact_unit": "hours",
            "decision_target": 2,
            "decision_unit": "days",
            "requires_confirmed_supplier": True,
            "limit_basis": "revenue_share",
            "limit_factor": "0.2000",
            "limit_floor": 500_000,
        },
    )
)


def seed_products(out) -> None:
    from decimal import Decimal

    from ecosystem.accounts.models import User
    from ecosystem.financing.services import product_save

    bank = Bank.objects.get(code=BANK[0])
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    for code, name_zh, name_en, kind, terms in DEMO_PRODUCTS:
        decimals = {
            "amount_min",
            "amount_max",
            "rate_min",
            "rate_max",
            "min_rd_intensity",
            "limit_factor",
            "uplift_per_qualification",
            "limit_floor",
            "limit_cap",
        }
        clean = {k: Decimal(str(v)) if k in decimals else v for k, v in terms.items()}
        product_save(
            bank=bank, actor=admin, code=code, name_zh=name_zh, name_en=name_en, kind=kind, **clean
        )
    out.write(f"products: {bank.products.count()}")
