"""Demo zones."""

from ecosystem.zones.models import Zone

ZONES = [
    ("zgc", "中关村科技园区", "Beijing Zhongguancun Science Park", "北京", "北京市"),
    ("zhangjiang", "张江高科技园区", "Shanghai Zhangjiang Hi-Tech Park", "上海", "上海市"),
    (
        "gz-htz",
        "广州高新技术产业开发区",
        "Guangzhou High-Tech Industrial Development Zone",
        "广州",
        "广东省",
    ),
]


def seed(out) -> None:
    for code, name_zh, name_en, city, province in ZONES:
        Zone.objects.update_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "city": city, "province": province},
        )
    out.write(f"zones: {Zone.objects.count()}")
