"""Demo enterprises (the Enterprise issue adds hundreds with financials and claims)."""

from ecosystem.enterprises.models import Enterprise
from ecosystem.enterprises.uscc import uscc_check_character
from ecosystem.zones.models import Zone


def demo_uscc(prefix17: str) -> str:
    return prefix17 + uscc_check_character(prefix17)


ENTERPRISES = [
    ("91110108MA01DEM61", "北京智芯科技有限公司", "Beijing Zhixin Technology Co., Ltd.", "zgc"),
    (
        "91310115MA1HDEM62",
        "上海深瞳人工智能有限公司",
        "Shanghai Shentong AI Co., Ltd.",
        "zhangjiang",
    ),
    (
        "91440101MA5CDEM63",
        "广州新材科技股份有限公司",
        "Guangzhou Xincai Materials Co., Ltd.",
        "gz-htz",
    ),
]


def seed(out) -> None:
    for prefix, name, name_en, zone_code in ENTERPRISES:
        Enterprise.objects.update_or_create(
            uscc=demo_uscc(prefix),
            defaults={"name": name, "name_en": name_en, "zone": Zone.objects.get(code=zone_code)},
        )
    out.write(f"enterprises: {Enterprise.objects.count()}")
