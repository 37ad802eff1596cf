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
